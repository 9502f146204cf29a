# Process checks shared by the tests that kill things (sourced; defines functions only).

# alive PID: the process exists and is not a zombie (a reparented zombie waits for init to reap
# it, and kill(2) succeeds on one). Builtins only: polling loops must stay quick on a loaded machine.
alive() {
    local stat
    { read -r stat < "/proc/$1/stat"; } 2> /dev/null || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# live_in_group PGID: some member of process group PGID is alive (not a zombie).
live_in_group() {
    local stat fields
    for stat in /proc/[0-9]*/stat; do
        { read -r fields < "$stat"; } 2> /dev/null || continue
        fields=${fields##*) }  # state ppid pgrp ...
        read -r -a fields <<< "$fields"
        [[ ${fields[2]} == "$1" && ${fields[0]} != Z ]] && return 0
    done
    return 1
}
