// LagEvaluator: per-partition consumer lag status over a sliding window of (committed, end, time)
// samples, with rules like Burrow's, plus lag in seconds and a time-to-catch-up estimate.
#pragma once

#include "models/metricseries.h"

#include <QString>
#include <QStringList>

#include <deque>
#include <map>
#include <tuple>

namespace partita::models {

// The numeric values are what the group_lag_status series records; higher is worse (the group
// rollup takes the maximum).
enum class LagStatus { Ok = 0, Warn = 1, Err = 2, Stop = 3, Stall = 4, Rewind = 5 };
QString lagStatusName(LagStatus status);  // "OK","WARN","ERR","STOP","STALL","REWIND" (protocol-like, untranslated)

struct LagSample {
    qint64 ms = 0;
    qint64 committed = -1;  // -1: the group has no committed offset for the partition
    qint64 end = -1;
};

struct LagVerdict {
    LagStatus status = LagStatus::Ok;
    qint64 lag = 0;              // end - committed of the newest sample (never negative)
    double lagSeconds = 0;       // how long ago the end offset had the committed value
    double catchUpSeconds = -1;  // lag / (consume rate - produce rate); 0 when no lag; -1: never at this pace
    double consumePerSec = 0;    // committed offset progress over the window
};

// The rules (evaluate()), applied to the window's samples that have both offsets (committed >= 0,
// end >= 0), oldest first; lag_i = max(0, end_i - committed_i). Commit timestamps are not visible
// through the Kafka protocol (OffsetFetch returns offsets only), so "a commit happened" means "the
// committed offset moved between two samples".
//   fewer than 2 samples                         -> OK (nothing to compare yet)
//   REWIND  committed_i < committed_{i-1} anywhere in the window (someone reset offsets back)
//   OK      lag of the newest sample is 0
//   STOP    committed unchanged over the whole window, newest lag > 0, end offset advanced: producers
//           keep writing, the consumer no longer commits (its last commit is older than the window)
//   STALL   committed unchanged over the whole window, newest lag > 0, end offset unchanged: there is
//           work to do and the consumer makes no progress on it (stuck on a record, paused)
//   ERR     the committed offset moved earlier in the window but not during its newest half
//           (at least ceil(n/2) trailing samples unchanged) and lag > 0: the consumer is stopping
//           (becomes STOP/STALL once the window holds no movement at all)
//   WARN    commits progress but lag never decreases between two samples and the newest lag is
//           larger than the oldest one (the consumer falls behind)
//   OK      otherwise
// Lag seconds: the newest committed offset C is located among the window's (ms, end) pairs and the
// time the end offset had the value C is interpolated linearly; when C is older than the window it
// is extrapolated back with the window's production rate (with no production in the window: the
// window's span, a lower bound). Catch-up: lag / (consumePerSec - producePerSec) when that rate is
// positive, else -1.
// Group rollup (group()): the worst partition status (highest number), summed lag, maximum lag
// seconds, summed consume rate, catch-up of the slowest partition (-1 if any never catches up).
class LagEvaluator {
public:
    explicit LagEvaluator(int windowSamples = 10);

    // Appends the frame's groupOffsets to their windows; partitions of `cluster` missing from the
    // frame are forgotten (deleted groups, unassigned partitions).
    void add(const QString& cluster, const MetricFrame& frame);
    LagVerdict partition(const QString& cluster, const QString& group, const QString& topic, int partition) const;
    LagVerdict group(const QString& cluster, const QString& group) const;
    QStringList groups(const QString& cluster) const;  // sorted
    static LagVerdict evaluate(const std::deque<LagSample>& window);
    // Adds group_lag_seconds / group_lag_status series for every group of the frame's cluster.
    void annotate(MetricFrame& frame) const;

private:
    using Key = std::tuple<QString, QString, QString, int>;  // cluster, group, topic, partition
    int m_windowSamples;
    std::map<Key, std::deque<LagSample>> m_windows;
};

}  // namespace partita::models
