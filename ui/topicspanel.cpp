// TopicsPanel: the topics table, its filter line and internal-topics toggle, and the topic
// administration actions (toolbar, context menu, shortcuts) with their dialogs.
#include "ui/topicspanel.h"

#include "models/clustersession.h"
#include "models/topicmodel.h"
#include "models/topicoperations.h"
#include "ui/addpartitionsdialog.h"
#include "ui/createtopicdialog.h"
#include "ui/deletetopicdialog.h"
#include "ui/producerdialog.h"
#include "ui/readonlytable.h"
#include "ui/topicconfigdialog.h"
#include "ui/topicfilterproxy.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace partita::ui {

using models::TopicModel;

TopicsPanel::TopicsPanel(TopicModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_proxy(new TopicFilterProxy(this)),
      m_filter(new QLineEdit(this)),
      m_showInternal(new QCheckBox(tr("Show internal topics"), this)),
      m_view(new QTableView(this)),
      m_toolBar(new QToolBar(this)),
      m_newAction(new QAction(tr("New topic…"), this)),
      m_deleteAction(new QAction(tr("Delete…"), this)),
      m_addPartitionsAction(new QAction(tr("Add partitions…"), this)),
      m_configsAction(new QAction(tr("Configs…"), this)),
      m_purgeAction(new QAction(tr("Purge…"), this)),
      m_messagesAction(new QAction(tr("Messages"), this)),
      m_produceAction(new QAction(tr("Produce…"), this)),
      m_status(new QLabel(this)) {
    m_proxy->setSourceModel(model);

    m_filter->setPlaceholderText(tr("Filter topics by name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &TopicFilterProxy::setNameFilter);
    m_showInternal->setChecked(m_proxy->showInternal());
    connect(m_showInternal, &QCheckBox::toggled, m_proxy, &TopicFilterProxy::setShowInternal);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TopicModel::NameColumn, Qt::AscendingOrder);
    setUpReadOnlyTable(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    // The name takes the room left over, so long names are not cut while numbers stay compact.
    m_view->horizontalHeader()->setSectionResizeMode(TopicModel::NameColumn, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, &TopicsPanel::openTopicAt);

    // Shortcuts work while focus is anywhere in this panel, and do not fight other tabs' own.
    m_newAction->setShortcut(QKeySequence::New);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_newAction->setToolTip(tr("Create a topic (%1)").arg(m_newAction->shortcut().toString(QKeySequence::NativeText)));
    m_deleteAction->setToolTip(
        tr("Delete the selected topic (%1)").arg(m_deleteAction->shortcut().toString(QKeySequence::NativeText)));
    m_addPartitionsAction->setToolTip(tr("Add partitions to the selected topic"));
    m_configsAction->setToolTip(tr("Show and edit the selected topic's configs"));
    m_purgeAction->setToolTip(tr("Delete every record of the selected topic, keeping the topic"));
    m_messagesAction->setShortcut(QKeySequence(tr("Ctrl+M")));
    m_messagesAction->setToolTip(tr("Browse the selected topic's messages (%1)")
                                     .arg(m_messagesAction->shortcut().toString(QKeySequence::NativeText)));
    m_produceAction->setShortcut(QKeySequence(tr("Ctrl+P")));
    m_produceAction->setToolTip(tr("Send messages to the selected topic (%1)")
                                    .arg(m_produceAction->shortcut().toString(QKeySequence::NativeText)));
    for (QAction* action : {m_messagesAction, m_produceAction, m_newAction, m_configsAction, m_addPartitionsAction,
                            m_purgeAction, m_deleteAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        m_toolBar->addAction(action);
        m_view->addAction(action);
    }
    m_toolBar->insertSeparator(m_newAction);
    m_toolBar->insertSeparator(m_deleteAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_newAction, &QAction::triggered, this, &TopicsPanel::newTopic);
    connect(m_deleteAction, &QAction::triggered, this, &TopicsPanel::deleteSelectedTopic);
    connect(m_addPartitionsAction, &QAction::triggered, this, &TopicsPanel::addPartitionsToSelected);
    connect(m_configsAction, &QAction::triggered, this, &TopicsPanel::showSelectedConfigs);
    connect(m_purgeAction, &QAction::triggered, this, &TopicsPanel::purgeSelected);
    connect(m_produceAction, &QAction::triggered, this, &TopicsPanel::produceToSelected);
    connect(m_messagesAction, &QAction::triggered, this, [this] {
        if (!selectedTopic().isEmpty()) emit openMessagesRequested(selectedTopic());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TopicsPanel::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TopicsPanel::updateActions);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TopicsPanel::updateActions);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->setVisible(false);  // until a session makes the actions usable
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_status->hide();

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 4);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_showInternal);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_toolBar);
    layout->addLayout(bar);
    layout->addWidget(m_view);
    layout->addWidget(m_status);
    updateActions();
}

void TopicsPanel::setSession(models::ClusterSession* session) {
    if (session == m_session) return;
    m_session = session;
    delete m_operations;
    m_operations = session ? new models::TopicOperations(session, this) : nullptr;
    m_toolBar->setVisible(session != nullptr);
    updateActions();
}

QString TopicsPanel::topicAt(int viewRow) const {
    return m_proxy->index(viewRow, TopicModel::NameColumn).data(TopicModel::NameRole).toString();
}

QString TopicsPanel::selectedTopic() const {
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : topicAt(rows.first().row());
}

bool TopicsPanel::selectTopic(const QString& name) {
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (topicAt(row) != name) continue;
        const QModelIndex index = m_proxy->index(row, 0);
        m_view->setCurrentIndex(index);
        m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(index);
        return true;
    }
    return false;
}

void TopicsPanel::openTopicAt(const QModelIndex& viewIndex) {
    if (!viewIndex.isValid()) return;
    const QString topic = topicAt(viewIndex.row());
    if (!topic.isEmpty()) emit openPartitionsRequested(topic);
}

void TopicsPanel::updateActions() {
    const bool connected = m_operations != nullptr;
    const bool selected = connected && !selectedTopic().isEmpty();
    m_newAction->setEnabled(connected);
    m_deleteAction->setEnabled(selected);
    m_addPartitionsAction->setEnabled(selected);
    m_configsAction->setEnabled(selected);
    m_purgeAction->setEnabled(selected);
    m_messagesAction->setEnabled(selected);
    m_produceAction->setEnabled(selected);
}

void TopicsPanel::showStatus(const QString& text, bool error) {
    m_status->setText(error ? QStringLiteral("<span style='color:#c62828'>%1</span>").arg(text.toHtmlEscaped())
                            : text.toHtmlEscaped());
    m_status->setContentsMargins(4, 4, 4, 4);
    m_status->show();
}

CreateTopicDialog* TopicsPanel::newTopic() {
    if (!m_operations) return nullptr;
    QStringList existing;
    int brokers = 1;
    if (auto snapshot = m_session->snapshot()) {
        for (const auto& topic : snapshot->topics) existing << topic.name;
        brokers = std::max<int>(1, int(snapshot->brokers.size()));
    }
    auto* dialog = new CreateTopicDialog(m_operations, existing, brokers, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CreateTopicDialog::topicCreated, this, [this](const QString& name) {
        showStatus(tr("Topic %1 created.").arg(name), false);
        // The new row arrives with the session's refresh; select it then.
        QPointer<TopicsPanel> self(this);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(m_session, &models::ClusterSession::snapshotReady, this, [self, name, connection] {
            if (self && self->selectTopic(name)) disconnect(*connection);
        });
    });
    dialog->open();
    return dialog;
}

DeleteTopicDialog* TopicsPanel::deleteSelectedTopic() {
    const QString topic = selectedTopic();
    if (!m_operations || topic.isEmpty()) return nullptr;
    auto* dialog = new DeleteTopicDialog(m_operations, topic, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, topic] { showStatus(tr("Topic %1 deleted.").arg(topic), false); });
    dialog->open();
    return dialog;
}

AddPartitionsDialog* TopicsPanel::addPartitionsToSelected() {
    const QString topic = selectedTopic();
    if (!m_operations || topic.isEmpty()) return nullptr;
    const TopicModel::Row* row = m_model->topic(m_model->rowOf(topic));
    auto* dialog = new AddPartitionsDialog(m_operations, topic, row ? row->partitions : 1, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

ProducerDialog* TopicsPanel::produceToSelected() {
    const QString topic = selectedTopic();
    if (!m_session || topic.isEmpty()) return nullptr;
    auto* dialog = new ProducerDialog(m_session, topic, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

TopicConfigDialog* TopicsPanel::showSelectedConfigs() {
    const QString topic = selectedTopic();
    if (!m_session || topic.isEmpty()) return nullptr;
    auto* dialog = new TopicConfigDialog(m_session, topic, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

QMessageBox* TopicsPanel::purgeSelected() {
    const QString topic = selectedTopic();
    if (!m_operations || topic.isEmpty()) return nullptr;
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("Purge topic %1").arg(topic),
                        tr("Delete every record of <b>%1</b> up to its current end?").arg(topic.toHtmlEscaped()),
                        QMessageBox::Cancel, this);
    box->setInformativeText(
        tr("The topic, its partitions and configs stay; consumers start from the new end. "
           "Records produced from now on are kept. This cannot be undone."));
    QPushButton* purge = box->addButton(tr("Purge"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<models::TopicOperations> operations(m_operations);
    connect(box, &QMessageBox::buttonClicked, this, [this, operations, purge, topic](QAbstractButton* clicked) {
        if (clicked != purge || !operations) return;
        showStatus(tr("Purging %1…").arg(topic), false);
        QPointer<TopicsPanel> self(this);
        operations->purge(topic, {}, [self, topic](const QString& error) {
            if (!self) return;
            if (error.isEmpty())
                self->showStatus(tr("Topic %1 purged.").arg(topic), false);
            else
                self->showStatus(tr("Could not purge %1: %2").arg(topic, error), true);
        });
    });
    box->open();
    return box;
}

}  // namespace partita::ui
