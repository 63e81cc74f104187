#include "cifar_file.hpp"

#include "cifar_format.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace tune::cifar {
namespace {

const std::string kRecordDescription = std::to_string(kRecordBytes) + "-byte record (" +
                                       std::to_string(kLabelBytes) + " label byte + " +
                                       std::to_string(kPixelBytes) + " pixel bytes)";

[[noreturn]] void fail(const std::filesystem::path &path, const std::string &what) {
    throw CifarFileError(path.string() + ": " + what);
}

// Closes the descriptor on every path out of the constructor; the mapping outlives it.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

} // namespace

CifarFile::CifarFile(const std::filesystem::path &path) : path_(path) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0)
        fail(path, std::string("cannot open: ") + std::strerror(errno) + "; expected a CIFAR-10 binary batch file");
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) fail(path, std::string("cannot stat: ") + std::strerror(errno));
    if (!S_ISREG(info.st_mode)) fail(path, "is not a regular file; expected a CIFAR-10 binary batch file");

    const auto size = static_cast<std::size_t>(info.st_size);
    if (size == 0)
        fail(path, "the file is empty; expected at least one " + kRecordDescription +
                       "; the file is truncated or not CIFAR-10 binary");
    if (size % kRecordBytes != 0)
        fail(path, "size " + std::to_string(size) + " is not a multiple of the " + kRecordDescription +
                       "; the file is truncated or not CIFAR-10 binary");

    void *mapping = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd.get(), 0);
    if (mapping == MAP_FAILED) fail(path, std::string("cannot memory-map: ") + std::strerror(errno));
    data_ = static_cast<const std::uint8_t *>(mapping);
    byte_count_ = size;
    record_count_ = size / kRecordBytes;

    for (std::size_t i = 0; i < record_count_; ++i) {
        const std::uint8_t label = data_[i * kRecordBytes];
        if (label >= kClassCount) {
            unmap();
            fail(path, "record " + std::to_string(i) + " (byte offset " + std::to_string(i * kRecordBytes) +
                           ") has label " + std::to_string(label) + "; expected a label from 0 to " +
                           std::to_string(kClassCount - 1) + "; the file is corrupt or not CIFAR-10 binary");
        }
    }
}

CifarFile::~CifarFile() { unmap(); }

CifarFile::CifarFile(CifarFile &&other) noexcept
    : path_(std::move(other.path_)), data_(std::exchange(other.data_, nullptr)),
      byte_count_(std::exchange(other.byte_count_, 0)), record_count_(std::exchange(other.record_count_, 0)) {}

CifarFile &CifarFile::operator=(CifarFile &&other) noexcept {
    if (this != &other) {
        unmap();
        path_ = std::move(other.path_);
        data_ = std::exchange(other.data_, nullptr);
        byte_count_ = std::exchange(other.byte_count_, 0);
        record_count_ = std::exchange(other.record_count_, 0);
    }
    return *this;
}

CifarRecord CifarFile::record(std::size_t index) const {
    if (index >= record_count_)
        throw std::out_of_range(path_.string() + ": record " + std::to_string(index) + " out of range; the file has " +
                                std::to_string(record_count_) + " records");
    const std::uint8_t *start = data_ + index * kRecordBytes;
    return CifarRecord{start[0], start + kLabelBytes};
}

void CifarFile::unmap() noexcept {
    if (data_ != nullptr) ::munmap(const_cast<std::uint8_t *>(data_), byte_count_);
    data_ = nullptr;
    byte_count_ = 0;
    record_count_ = 0;
}

} // namespace tune::cifar
