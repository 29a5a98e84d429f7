// MessageExportRunner: file choice, progress and outcome of a message export (see the header).
#include "ui/messageexportrunner.h"

#include "models/clustersession.h"
#include "models/messageexporter.h"
#include "models/messagemodel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QProgressDialog>
#include <QSettings>

namespace partita::ui {

using models::MessageExporter;

MessageExportRunner::MessageExportRunner(models::ClusterSession* session, QWidget* dialogParent)
    : QObject(dialogParent), m_session(session), m_dialogParent(dialogParent), m_exporter(new MessageExporter(this)) {
    connect(m_exporter, &MessageExporter::progress, this, [this](qint64 written, qint64 scanned, qint64 total) {
        if (!m_progress) return;
        const QLocale locale;
        if (total > 0) {
            m_progress->setMaximum(1000);
            m_progress->setValue(int(qMin<qint64>(1000, scanned * 1000 / total)));
        }
        m_progress->setLabelText(
            tr("Exporting to %1…\n%2 written, %3 scanned")
                .arg(QFileInfo(m_path).fileName(), locale.toString(written), locale.toString(scanned)));
    });
    connect(m_exporter, &MessageExporter::finished, this, &MessageExportRunner::onFinished);
}

bool MessageExportRunner::isRunning() const {
    return m_exporter->isRunning();
}

void MessageExportRunner::cancel() {
    m_exporter->cancel();
}

QString MessageExportRunner::choosePath(const QString& topic) {
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("export/folder"), QDir::homePath()).toString();
    const QString suggested = QDir(folder).filePath(topic + QStringLiteral(".jsonl"));
    const QString path =
        m_chooser ? m_chooser(suggested)
                  : QFileDialog::getSaveFileName(m_dialogParent, tr("Export messages"), suggested,
                                                 tr("JSON Lines (*.jsonl *.json);;CSV (*.csv);;All files (*)"));
    if (!path.isEmpty()) settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    return path;
}

void MessageExportRunner::exportRows(const models::MessageModel& model, const QList<int>& sourceRows) {
    if (isRunning() || sourceRows.isEmpty()) return;
    const QString path = choosePath(model.topic());
    if (path.isEmpty()) return;
    std::vector<models::MessageModel::Row> rows;
    rows.reserve(size_t(sourceRows.size()));
    for (int row : sourceRows) rows.push_back(model.row(row));
    QString error;
    if (!m_exporter->exportRows(path, MessageExporter::formatForFileName(path), model.topic(), std::move(rows), &error))
        return emit finished(error, true);
    started(path, sourceRows.size());
}

void MessageExportRunner::exportSearch(const models::MessageModel& model) {
    if (isRunning()) return;
    const QString path = choosePath(model.topic());
    if (path.isEmpty()) return;
    QString error;
    if (!m_exporter->exportSearch(path, MessageExporter::formatForFileName(path), m_session->client(),
                                  model.lastSearch(), &error))
        return emit finished(error, true);
    started(path, 0);
}

void MessageExportRunner::started(const QString& path, qint64 expected) {
    m_path = path;
    m_progress = new QProgressDialog(tr("Exporting to %1…").arg(QFileInfo(path).fileName()), tr("Cancel"), 0,
                                     expected > 0 ? 1000 : 0, m_dialogParent);
    m_progress->setWindowTitle(tr("Export messages"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(300);  // quick exports finish without a flash of a dialog
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, m_exporter, &MessageExporter::cancel);
}

void MessageExportRunner::onFinished(qint64 written, bool cancelled, const QString& error) {
    if (m_progress) {
        m_progress->disconnect();
        m_progress->deleteLater();
        m_progress = nullptr;
    }
    const QString name = QDir::toNativeSeparators(m_path);
    if (!error.isEmpty()) return emit finished(tr("Export failed: %1").arg(error), true);
    if (cancelled) return emit finished(tr("Export cancelled; %1 was not written").arg(name), false);
    emit finished(written == 1 ? tr("Exported 1 message to %1").arg(name)
                               : tr("Exported %1 messages to %2").arg(QLocale().toString(written), name),
                  false);
}

}  // namespace partita::ui
