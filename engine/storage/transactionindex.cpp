// TransactionIndex: the .txnindex file of aborted transactions (append, search, truncate, rename).
#include "engine/storage/transactionindex.h"

#include "engine/protocol/records/byteorder.h"

#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace partita::storage {

namespace rec = partita::protocol::records;

namespace {

bool fileExists(const std::string& path, int& err) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return true;
    err = errno;
    return false;
}

std::array<uint8_t, TransactionIndex::kEntrySize> encode(const AbortedTxn& txn) {
    std::array<uint8_t, TransactionIndex::kEntrySize> bytes{};
    rec::storeBe16(bytes.data(), uint16_t(TransactionIndex::kVersion));
    rec::storeBe64(bytes.data() + 2, uint64_t(txn.producerId));
    rec::storeBe64(bytes.data() + 10, uint64_t(txn.firstOffset));
    rec::storeBe64(bytes.data() + 18, uint64_t(txn.lastOffset));
    rec::storeBe64(bytes.data() + 26, uint64_t(txn.lastStableOffset));
    return bytes;
}

Error corrupt(const std::string& path, uint64_t position, const std::string& what) {
    return makeError(ErrorKind::Corrupt,
                     "transaction index " + path + " is corrupt at byte " + std::to_string(position) + ": " + what);
}

}  // namespace

Result<std::unique_ptr<TransactionIndex>> TransactionIndex::open(const std::string& path, int64_t baseOffset) {
    std::unique_ptr<TransactionIndex> index(new TransactionIndex(path, baseOffset));
    std::lock_guard lock(index->m_mutex);
    auto opened = index->ensureOpenLocked(false);
    if (!opened) return opened.error();
    if (!*opened) return index;

    auto entries = index->readAllLocked();
    if (!entries) return entries.error();
    uint64_t position = 0;
    for (const AbortedTxn& txn : *entries) {
        // Markers of this segment sit at or after its base offset; anything else was not written by us.
        if (txn.lastOffset < baseOffset) {
            return corrupt(path, position,
                           "last offset " + std::to_string(txn.lastOffset) + " is below the segment's base offset " +
                               std::to_string(baseOffset));
        }
        if (index->m_lastOffset && txn.lastOffset <= *index->m_lastOffset) {
            return corrupt(path, position,
                           "last offset " + std::to_string(txn.lastOffset) + " does not increase (previous " +
                               std::to_string(*index->m_lastOffset) + ")");
        }
        index->m_lastOffset = txn.lastOffset;
        position += kEntrySize;
    }
    return index;
}

Result<bool> TransactionIndex::ensureOpenLocked(bool create) const {
    if (m_file.isOpen()) return true;
    int err = 0;
    const bool exists = fileExists(m_path, err);
    if (!exists) {
        if (err != ENOENT) return fileError("cannot stat", m_path, err);
        if (!create) return false;
    }
    auto file = FileHandle::open(m_path, exists ? FileHandle::Mode::ReadWrite : FileHandle::Mode::CreateReadWrite);
    if (!file) return file.error();
    auto size = file->size();
    if (!size) return size.error();
    m_file = std::move(*file);
    // Appends go after whatever is there; readAllLocked reports a partial tail as corruption.
    m_size = *size;
    if (!exists) m_createdUnsynced = true;
    return true;
}

Result<std::vector<AbortedTxn>> TransactionIndex::readAllLocked() const {
    std::vector<AbortedTxn> entries;
    auto opened = ensureOpenLocked(false);
    if (!opened) return opened.error();
    if (!*opened || m_size == 0) return entries;
    if (m_size % kEntrySize != 0) {
        return corrupt(m_path, m_size - m_size % kEntrySize,
                       "file size " + std::to_string(m_size) + " is not a multiple of " + std::to_string(kEntrySize));
    }
    std::vector<uint8_t> bytes(m_size);
    if (Status s = m_file.readAt(0, bytes); !s) return s.error();
    entries.reserve(m_size / kEntrySize);
    for (uint64_t pos = 0; pos < m_size; pos += kEntrySize) {
        const uint8_t* p = bytes.data() + pos;
        int16_t version = rec::loadBeI16(p);
        if (version != kVersion) return corrupt(m_path, pos, "unknown entry version " + std::to_string(version));
        entries.push_back(
            AbortedTxn{rec::loadBeI64(p + 2), rec::loadBeI64(p + 10), rec::loadBeI64(p + 18), rec::loadBeI64(p + 26)});
    }
    return entries;
}

Status TransactionIndex::append(const AbortedTxn& txn) {
    std::lock_guard lock(m_mutex);
    if (m_lastOffset && txn.lastOffset <= *m_lastOffset) {
        return makeError(ErrorKind::InvalidArgument, "aborted transaction last offset " +
                                                         std::to_string(txn.lastOffset) +
                                                         " is not above the previous " + std::to_string(*m_lastOffset) +
                                                         " in transaction index " + m_path);
    }
    auto opened = ensureOpenLocked(true);
    if (!opened) return opened.error();
    if (m_size % kEntrySize != 0) {
        return corrupt(m_path, m_size - m_size % kEntrySize,
                       "file size " + std::to_string(m_size) + " is not a multiple of " + std::to_string(kEntrySize));
    }
    auto bytes = encode(txn);
    if (Status s = m_file.writeAt(m_size, bytes); !s) return s;
    m_size += kEntrySize;
    m_lastOffset = txn.lastOffset;
    return {};
}

Result<std::vector<AbortedTxn>> TransactionIndex::collectAbortedTxns(int64_t fetchOffset, int64_t upperBoundOffset,
                                                                     bool* searchComplete) const {
    std::lock_guard lock(m_mutex);
    auto all = readAllLocked();
    if (!all) return all.error();
    std::vector<AbortedTxn> overlapping;
    bool complete = false;
    for (const AbortedTxn& txn : *all) {
        if (txn.lastOffset >= fetchOffset && txn.firstOffset < upperBoundOffset) overlapping.push_back(txn);
        if (txn.lastStableOffset >= upperBoundOffset) complete = true;
    }
    if (searchComplete) *searchComplete = complete;
    return overlapping;
}

Result<std::vector<AbortedTxn>> TransactionIndex::allAbortedTxns() const {
    std::lock_guard lock(m_mutex);
    return readAllLocked();
}

Status TransactionIndex::truncateTo(int64_t offset) {
    std::lock_guard lock(m_mutex);
    auto all = readAllLocked();
    if (!all) return all.error();
    std::optional<int64_t> newLast;
    for (size_t i = 0; i < all->size(); ++i) {
        const AbortedTxn& txn = (*all)[i];
        if (txn.lastOffset >= offset) {
            if (Status s = m_file.truncate(i * kEntrySize); !s) return s;
            m_size = i * kEntrySize;
            m_lastOffset = newLast;
            return {};
        }
        newLast = txn.lastOffset;
    }
    return {};
}

Status TransactionIndex::reset() {
    std::lock_guard lock(m_mutex);
    auto opened = ensureOpenLocked(false);
    if (!opened) return opened.error();
    if (*opened) {
        if (Status s = m_file.truncate(0); !s) return s;
    }
    m_size = 0;
    m_lastOffset.reset();
    return {};
}

Status TransactionIndex::flush() {
    std::lock_guard lock(m_mutex);
    if (m_file.isOpen()) {
        if (Status s = m_file.dataSync(); !s) return s;
    }
    if (m_createdUnsynced) {
        std::string dir = std::filesystem::path(m_path).parent_path().string();
        if (Status s = syncDirectory(dir.empty() ? "." : dir); !s) return s;
        m_createdUnsynced = false;
    }
    return {};
}

Status TransactionIndex::close() {
    std::lock_guard lock(m_mutex);
    m_file.close();
    return {};
}

Status TransactionIndex::deleteFile() {
    std::lock_guard lock(m_mutex);
    m_file.close();
    if (::unlink(m_path.c_str()) != 0 && errno != ENOENT) return fileError("cannot delete", m_path, errno);
    m_size = 0;
    m_lastOffset.reset();
    m_createdUnsynced = false;
    return {};
}

Status TransactionIndex::renameTo(const std::string& newPath) {
    std::lock_guard lock(m_mutex);
    if (m_file.isOpen()) {
        if (Status s = m_file.rename(newPath); !s) return s;
        m_path = newPath;
        m_createdUnsynced = true;  // the new name is durable only once its directory is synced
        return {};
    }
    if (::rename(m_path.c_str(), newPath.c_str()) == 0) {
        m_createdUnsynced = true;
    } else if (errno != ENOENT) {
        return fileError("cannot rename", m_path, errno);
    }
    m_path = newPath;
    return {};
}

}  // namespace partita::storage
