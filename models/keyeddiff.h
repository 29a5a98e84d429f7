// applyKeyedDiff: turns a refreshed, keyed row list into row removals, insertions and dataChanged
// on a list or table model, so persistent indexes, selection and scroll survive a refresh.
#pragma once

#include <QAbstractItemModel>

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

namespace partita::models {

// begin/end{Insert,Remove}Rows are protected: only the model may call them, so it hands them to
// applyKeyedDiff as callbacks.
struct KeyedDiffHooks {
    std::function<void(int first, int last)> beginRemoveRows;
    std::function<void()> endRemoveRows;
    std::function<void(int first, int last)> beginInsertRows;
    std::function<void()> endInsertRows;
};

// The position of the row with `key` in `rows` kept by applyKeyedDiff (sorted by key, unique keys),
// or -1.
template <class Row, class Key, class KeyOf>
int rowOfKey(const std::vector<Row>& rows, const Key& key, KeyOf keyOf) {
    auto it = std::lower_bound(rows.begin(), rows.end(), key, [&](const Row& r, const Key& k) { return keyOf(r) < k; });
    return it != rows.end() && keyOf(*it) == key ? int(it - rows.begin()) : -1;
}

// Replaces `rows` (sorted by key, unique keys) with `next` (any order; sorted here, later
// duplicates of a key dropped). Rows whose key disappeared are removed, new keys inserted at their
// sorted position, and rows whose value changed (operator==) reported with dataChanged across all
// columns, in contiguous ranges. Never resets the model.
template <class Row, class KeyOf>
void applyKeyedDiff(QAbstractItemModel& model, const KeyedDiffHooks& hooks, std::vector<Row>& rows,
                    std::vector<Row> next, KeyOf keyOf) {
    auto less = [&](const Row& a, const Row& b) { return keyOf(a) < keyOf(b); };
    std::stable_sort(next.begin(), next.end(), less);
    next.erase(
        std::unique(next.begin(), next.end(),
                    [&](const Row& a, const Row& b) { return !(keyOf(a) < keyOf(b)) && !(keyOf(b) < keyOf(a)); }),
        next.end());

    // Removals first, last range first, so the earlier row numbers stay valid.
    std::vector<std::pair<int, int>> gone;  // [first, last]
    {
        size_t j = 0;
        for (size_t i = 0; i < rows.size(); ++i) {
            while (j < next.size() && keyOf(next[j]) < keyOf(rows[i])) ++j;
            const bool kept = j < next.size() && !(keyOf(rows[i]) < keyOf(next[j]));
            if (kept) continue;
            if (!gone.empty() && gone.back().second == int(i) - 1)
                gone.back().second = int(i);
            else
                gone.emplace_back(int(i), int(i));
        }
    }
    for (auto it = gone.rbegin(); it != gone.rend(); ++it) {
        hooks.beginRemoveRows(it->first, it->second);
        rows.erase(rows.begin() + it->first, rows.begin() + it->second + 1);
        hooks.endRemoveRows();
    }

    // Now every old key is in `next`, both sorted: walk them together.
    const int lastColumn = model.columnCount() - 1;
    int changedFirst = -1;
    int changedLast = -1;
    auto flushChanged = [&] {
        if (changedFirst >= 0 && lastColumn >= 0)
            emit model.dataChanged(model.index(changedFirst, 0), model.index(changedLast, lastColumn));
        changedFirst = changedLast = -1;
    };
    size_t i = 0;
    size_t j = 0;
    while (j < next.size()) {
        if (i < rows.size() && !(keyOf(rows[i]) < keyOf(next[j])) && !(keyOf(next[j]) < keyOf(rows[i]))) {
            if (!(rows[i] == next[j])) {
                rows[i] = std::move(next[j]);
                if (changedLast != int(i) - 1) flushChanged();
                if (changedFirst < 0) changedFirst = int(i);
                changedLast = int(i);
            }
            ++i;
            ++j;
            continue;
        }
        flushChanged();
        // A run of new keys that all sort before rows[i] (or after the end).
        size_t end = j;
        while (end < next.size() && (i >= rows.size() || keyOf(next[end]) < keyOf(rows[i]))) ++end;
        const int count = int(end - j);
        if (count == 0) {
            // rows[i] sorts before next[j] yet survived the removals: only possible if `rows` was
            // not sorted by key on entry. Drop it rather than loop forever.
            hooks.beginRemoveRows(int(i), int(i));
            rows.erase(rows.begin() + i);
            hooks.endRemoveRows();
            continue;
        }
        hooks.beginInsertRows(int(i), int(i) + count - 1);
        rows.insert(rows.begin() + i, std::make_move_iterator(next.begin() + j),
                    std::make_move_iterator(next.begin() + end));
        hooks.endInsertRows();
        i += count;
        j = end;
    }
    flushChanged();
}

}  // namespace partita::models
