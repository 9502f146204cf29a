// Capped files, the stderr tail and the fan-out of a kernel's output to them.
#include "output_capture.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace hpo::exec_detail {

void CappedFile::write(std::string_view data) {
    total_ += data.size();
    if (failed_ || written_ >= limit_) return;
    data = data.substr(0, std::min(data.size(), limit_ - written_));
    while (!data.empty()) {
        const auto n = ::write(fd_.get(), data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            failed_ = true;
            return;
        }
        written_ += static_cast<std::size_t>(n);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void TailBuffer::append(std::string_view data) {
    total_ += data.size();
    if (data.size() >= capacity_) {
        data_.assign(data.substr(data.size() - capacity_));
        return;
    }
    data_.append(data);
    if (data_.size() > 2 * capacity_) data_.erase(0, data_.size() - capacity_);
}

std::string TailBuffer::text() const {
    return data_.size() > capacity_ ? data_.substr(data_.size() - capacity_) : data_;
}

OutputCapture::OutputCapture(UniqueFd stdout_file, UniqueFd stderr_file, std::string fom_prefix,
                             std::size_t output_limit_bytes, std::size_t stderr_tail_bytes)
    : stdout_(std::move(stdout_file), output_limit_bytes),
      stderr_(std::move(stderr_file), output_limit_bytes),
      parser_(std::move(fom_prefix)),
      tail_(stderr_tail_bytes) {}

void OutputCapture::echo_lines(const std::string& prefix) {
    echo_out_.emplace(prefix);
    echo_err_.emplace(prefix);
}

void OutputCapture::on_stdout(std::string_view chunk) {
    stdout_.write(chunk);
    parser_.feed(chunk);
    if (echo_out_) echo_out_->feed(chunk);
}

void OutputCapture::on_stderr(std::string_view chunk) {
    stderr_.write(chunk);
    tail_.append(chunk);
    if (echo_err_) echo_err_->feed(chunk);
}

void OutputCapture::finish() {
    parser_.finish();
    if (echo_out_) echo_out_->finish();
    if (echo_err_) echo_err_->finish();
}

void OutputCapture::wait_echoed(double max_seconds) const {
    if (!echo_out_) return;
    exec_detail::wait_echoed(std::max(echo_out_->last_sequence(), echo_err_->last_sequence()), max_seconds);
}

}  // namespace hpo::exec_detail
