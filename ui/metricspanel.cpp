// MetricsPanel: subject and metric pickers over a MetricChartView.
#include "ui/metricspanel.h"

#include "models/metrichistory.h"
#include "models/metricnames.h"
#include "ui/metricchartview.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace partita::ui {

namespace {

constexpr int kMetricRole = Qt::UserRole + 1;

// Cluster first, then brokers by id, topics, groups, group-topics, each by name.
int subjectOrder(const QString& subject) {
    const QString kind = MetricsPanel::subjectKind(subject);
    if (kind == QLatin1String("cluster")) return 0;
    if (kind == QLatin1String("broker")) return 1;
    if (kind == QLatin1String("topic")) return 2;
    if (kind == QLatin1String("group")) return 3;
    return 4;
}

bool subjectLess(const QString& a, const QString& b) {
    const int oa = subjectOrder(a);
    const int ob = subjectOrder(b);
    if (oa != ob) return oa < ob;
    if (oa == 1) {
        bool okA = false;
        bool okB = false;
        const int ia = a.section(QLatin1Char(':'), 1).toInt(&okA);
        const int ib = b.section(QLatin1Char(':'), 1).toInt(&okB);
        if (okA && okB) return ia < ib;
    }
    return a < b;
}

}  // namespace

MetricsPanel::MetricsPanel(models::MetricHistory* history, const QString& clusterId, QWidget* parent)
    : QWidget(parent),
      m_history(history),
      m_clusterId(clusterId),
      m_subjects(new QComboBox(this)),
      m_metrics(new QListWidget(this)),
      m_chart(new MetricChartView(history, this)) {
    m_subjects->setMinimumContentsLength(24);
    m_subjects->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_metrics->setSelectionMode(QAbstractItemView::NoSelection);

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("Subject:"), side));
    sideLayout->addWidget(m_subjects);
    sideLayout->addWidget(new QLabel(tr("Metrics:"), side));
    sideLayout->addWidget(m_metrics, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(side);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 700});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    addSubjects({QString()});
    fillMetrics();
    connect(m_subjects, &QComboBox::currentIndexChanged, this, [this] {
        fillMetrics();
        chartChecked();
    });
    connect(m_metrics, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (m_filling) return;
        const QString metric = item->data(kMetricRole).toString();
        if (item->checkState() == Qt::Checked)
            m_checked.insert(metric);
        else
            m_checked.remove(metric);
        chartChecked();
    });
    refreshSubjects();
    chartChecked();
}

QString MetricsPanel::subjectKind(const QString& subject) {
    if (subject.isEmpty()) return QStringLiteral("cluster");
    if (subject.contains(QLatin1Char('|'))) return QStringLiteral("group-topic");
    // Prometheus series of a broker whose id is unknown: broker metrics.
    if (subject.startsWith(QLatin1String("broker:")) || subject.startsWith(QLatin1String("endpoint:")))
        return QStringLiteral("broker");
    if (subject.startsWith(QLatin1String("topic:"))) return QStringLiteral("topic");
    if (subject.startsWith(QLatin1String("group:"))) return QStringLiteral("group");
    return subject.section(QLatin1Char(':'), 0, 0);
}

QString MetricsPanel::subjectTitle(const QString& subject) {
    const QString kind = subjectKind(subject);
    const QString name = subject.section(QLatin1Char(':'), 1);
    if (kind == QLatin1String("cluster")) return tr("Cluster");
    if (subject.startsWith(QLatin1String("endpoint:"))) return tr("Endpoint %1").arg(name);
    if (kind == QLatin1String("broker")) return tr("Broker %1").arg(name);
    if (kind == QLatin1String("topic")) return tr("Topic %1").arg(name);
    if (kind == QLatin1String("group-topic")) {
        const QString group = subject.section(QLatin1Char('|'), 0, 0).section(QLatin1Char(':'), 1);
        const QString topic = subject.section(QLatin1Char('|'), 1).section(QLatin1Char(':'), 1);
        return tr("Group %1 · topic %2").arg(group, topic);
    }
    if (kind == QLatin1String("group")) return tr("Group %1").arg(name);
    return subject;
}

void MetricsPanel::setSubjects(const QStringList& subjects) {
    addSubjects(subjects);
}

void MetricsPanel::refreshSubjects() {
    if (m_history == nullptr) return;
    m_history->listSeries(m_clusterId, QString(), this, [this](std::vector<models::SeriesKey> keys) {
        QSet<QString> subjects;
        for (const models::SeriesKey& key : keys) subjects.insert(key.subject);
        addSubjects(subjects.values());
    });
}

void MetricsPanel::addSubjects(const QStringList& subjects) {
    QSet<QString> known;
    QStringList all;
    for (int i = 0; i < m_subjects->count(); ++i) {
        all.append(m_subjects->itemData(i).toString());
        known.insert(all.last());
    }
    for (const QString& subject : subjects)
        if (!known.contains(subject)) {
            known.insert(subject);
            all.append(subject);
        }
    if (all.size() == m_subjects->count()) return;
    std::sort(all.begin(), all.end(), subjectLess);
    const QString current = currentSubject();
    // Rebuilt in order without signals: the current subject stays picked.
    const QSignalBlocker blocker(m_subjects);
    m_subjects->clear();
    for (const QString& subject : all) m_subjects->addItem(subjectTitle(subject), subject);
    m_subjects->setCurrentIndex(std::max(0, m_subjects->findData(current)));
}

QString MetricsPanel::currentSubject() const {
    return m_subjects->currentIndex() < 0 ? QString() : m_subjects->currentData().toString();
}

QStringList MetricsPanel::checkedMetrics() const {
    QStringList out;
    for (int i = 0; i < m_metrics->count(); ++i)
        if (m_metrics->item(i)->checkState() == Qt::Checked)
            out.append(m_metrics->item(i)->data(kMetricRole).toString());
    return out;
}

void MetricsPanel::fillMetrics() {
    m_filling = true;
    m_metrics->clear();
    const QString kind = subjectKind(currentSubject());
    bool anyChecked = false;
    for (const models::MetricInfo& info : models::metricCatalogue()) {
        if (kind != QLatin1String(info.subjectKind)) continue;
        auto* item = new QListWidgetItem(QCoreApplication::translate("MetricNames", info.title), m_metrics);
        const QString name = QString::fromUtf8(info.name);
        item->setData(kMetricRole, name);
        item->setToolTip(name);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool checked = m_checked.contains(name);
        item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
        anyChecked = anyChecked || checked;
    }
    // Something is always charted: the kind's first metric when none of the checked ones apply.
    if (!anyChecked && m_metrics->count() > 0) {
        m_metrics->item(0)->setCheckState(Qt::Checked);
        m_checked.insert(m_metrics->item(0)->data(kMetricRole).toString());
    }
    m_filling = false;
}

void MetricsPanel::chartChecked() {
    std::vector<models::SeriesKey> keys;
    for (const QString& metric : checkedMetrics()) keys.push_back({m_clusterId, metric, currentSubject()});
    if (keys != m_chart->seriesKeys()) m_chart->setSeries(keys);
}

void MetricsPanel::showSeries(const models::SeriesKey& key) {
    addSubjects({key.subject});
    {
        const QSignalBlocker blocker(m_subjects);
        m_subjects->setCurrentIndex(std::max(0, m_subjects->findData(key.subject)));
    }
    // Only the alert's metric, so the chart shows what the alert is about.
    m_checked = {key.metric};
    fillMetrics();
    bool found = false;
    for (int i = 0; i < m_metrics->count(); ++i) found = found || m_metrics->item(i)->data(kMetricRole) == key.metric;
    if (!found) {
        // A metric outside the catalogue (or of another kind) is still charted, alone.
        m_filling = true;
        for (int i = 0; i < m_metrics->count(); ++i) m_metrics->item(i)->setCheckState(Qt::Unchecked);
        m_checked = {key.metric};
        auto* item = new QListWidgetItem(key.metric, m_metrics);
        item->setData(kMetricRole, key.metric);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        m_filling = false;
    }
    chartChecked();
}

void MetricsPanel::setThresholds(std::vector<models::AlertRule> rules) {
    m_chart->setThresholds(std::move(rules));
}

void MetricsPanel::appendFrame(const models::MetricFrame& frame) {
    if (frame.cluster != m_clusterId) return;
    m_chart->appendFrame(frame);
    // New subjects (a topic created since) show up in the picker.
    QSet<QString> subjects;
    for (const auto& [key, value] : frame.values) subjects.insert(key.subject);
    addSubjects(subjects.values());
}

}  // namespace partita::ui
