"""Small helpers the figure modules share."""


def chain_of(data, row, row_of):
    """The rows of `row`'s ancestors (parent, its parent...), oldest first, then `row` itself."""
    chain = [row]
    seen = {row}
    while data.parent[chain[-1]] >= 0:
        parent = row_of.get(int(data.parent[chain[-1]]))
        if parent is None or parent in seen:  # a parent not in the table (a running snapshot), or a loop
            break
        chain.append(parent)
        seen.add(parent)
    return chain[::-1]
