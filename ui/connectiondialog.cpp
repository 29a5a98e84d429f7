// ConnectionDialog: the form over a ConnectionProfile and the connection test's step list.
#include "ui/connectiondialog.h"

#include "models/connectiontest.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

namespace partita::ui {

using models::ConnectionProfile;
using models::ConnectionTest;

namespace {

// The properties the form has a field for; everything else is in the Advanced table.
const QStringList kFieldKeys{"bootstrap.servers", "security.protocol",        "sasl.mechanism",  "sasl.username",
                             "ssl.ca.location",   "ssl.certificate.location", "ssl.key.location"};

}  // namespace

ConnectionDialog::ConnectionDialog(QWidget* parent)
    : QDialog(parent), m_id(ConnectionProfile::create().id), m_test(new ConnectionTest(this)) {
    setWindowTitle(tr("Cluster connection"));
    auto* layout = new QVBoxLayout(this);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto addRow = [&](const QString& label, QWidget* field, const QString& kafkaName) {
        auto* box = new QWidget;
        auto* column = new QVBoxLayout(box);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(1);
        column->addWidget(field);
        column->addWidget(errorLabel(kafkaName));
        form->addRow(label, box);
        return box;
    };

    m_name = new QLineEdit;
    m_name->setObjectName("name");
    m_name->setPlaceholderText(tr("Production"));
    addRow(tr("&Name:"), m_name, "name");

    m_bootstrap = new QLineEdit;
    m_bootstrap->setObjectName("bootstrapServers");
    m_bootstrap->setPlaceholderText(tr("kafka-1.example.com:9092,kafka-2.example.com:9092"));
    m_bootstrap->setToolTip(QStringLiteral("bootstrap.servers"));
    addRow(tr("&Bootstrap servers:"), m_bootstrap, "bootstrap.servers");

    m_protocol = new QComboBox;
    m_protocol->setObjectName("securityProtocol");
    m_protocol->addItems({"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"});
    m_protocol->setToolTip(QStringLiteral("security.protocol"));
    addRow(tr("&Security protocol:"), m_protocol, "security.protocol");

    m_mechanism = new QComboBox;
    m_mechanism->setObjectName("saslMechanism");
    m_mechanism->addItems({"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"});
    m_mechanism->setToolTip(QStringLiteral("sasl.mechanism"));
    m_saslWidgets << m_mechanism << addRow(tr("SASL &mechanism:"), m_mechanism, "sasl.mechanism");

    m_username = new QLineEdit;
    m_username->setObjectName("username");
    m_username->setToolTip(QStringLiteral("sasl.username"));
    m_saslWidgets << addRow(tr("&Username:"), m_username, "sasl.username");

    m_password = new QLineEdit;
    m_password->setObjectName("password");
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setToolTip(tr("sasl.password: kept in the system keychain, never in the settings file"));
    m_saslWidgets << addRow(tr("&Password:"), m_password, "sasl.password");

    QWidget* row = nullptr;
    m_caFile = fileField("caFile", "ssl.ca.location", &row);
    m_caFile->setPlaceholderText(tr("System CA certificates"));
    m_tlsWidgets << addRow(tr("&CA file (PEM):"), row, "ssl.ca.location");
    m_certFile = fileField("certFile", "ssl.certificate.location", &row);
    m_tlsWidgets << addRow(tr("Client c&ertificate:"), row, "ssl.certificate.location");
    m_keyFile = fileField("keyFile", "ssl.key.location", &row);
    m_tlsWidgets << addRow(tr("Client &key:"), row, "ssl.key.location");
    m_keyPassword = new QLineEdit;
    m_keyPassword->setObjectName("keyPassword");
    m_keyPassword->setEchoMode(QLineEdit::Password);
    m_keyPassword->setToolTip(QStringLiteral("ssl.key.password"));
    m_tlsWidgets << addRow(tr("Key pass&word:"), m_keyPassword, "ssl.key.password");
    m_metrics = new QLineEdit;
    m_metrics->setObjectName("metricsEndpoints");
    m_metrics->setPlaceholderText(QStringLiteral("1=http://kafka-1:7071/metrics, 2=http://kafka-2:7071/metrics"));
    m_metrics->setToolTip(
        tr("Prometheus endpoints (the JMX exporter) for broker metrics such as the request queue "
           "and idle ratios: URLs, or N=URL for broker N, separated by commas. Optional: "
           "without them Partita watches the cluster through the Kafka protocol alone."));
    addRow(tr("&Metrics endpoints:"), m_metrics, "metrics.endpoints");
    layout->addLayout(form);

    auto* advancedBox = new QGroupBox(tr("Advanced client properties"));
    auto* advancedLayout = new QVBoxLayout(advancedBox);
    m_advanced = new QTableWidget(0, 2);
    m_advanced->setObjectName("advanced");
    m_advanced->setHorizontalHeaderLabels({tr("Property"), tr("Value")});
    m_advanced->horizontalHeader()->setStretchLastSection(true);
    m_advanced->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_advanced->verticalHeader()->hide();
    m_advanced->setMinimumHeight(fontMetrics().height() * 6);
    advancedLayout->addWidget(m_advanced);
    auto* advancedButtons = new QHBoxLayout;
    auto* addProperty = new QPushButton(tr("Add"));
    auto* removeProperty = new QPushButton(tr("Remove"));
    advancedButtons->addWidget(addProperty);
    advancedButtons->addWidget(removeProperty);
    advancedButtons->addStretch();
    advancedLayout->addLayout(advancedButtons);
    m_generalError = errorLabel(QString());
    advancedLayout->addWidget(m_generalError);
    layout->addWidget(advancedBox);
    connect(addProperty, &QPushButton::clicked, this, [this] {
        const int row = m_advanced->rowCount();
        m_advanced->insertRow(row);
        m_advanced->setItem(row, 0, new QTableWidgetItem);
        m_advanced->setItem(row, 1, new QTableWidgetItem);
        m_advanced->editItem(m_advanced->item(row, 0));
    });
    connect(removeProperty, &QPushButton::clicked, this, [this] {
        if (m_advanced->currentRow() >= 0) m_advanced->removeRow(m_advanced->currentRow());
        revalidate();
    });
    connect(m_advanced, &QTableWidget::itemChanged, this, &ConnectionDialog::revalidate);

    auto* testBox = new QGroupBox(tr("Connection test"));
    auto* testLayout = new QVBoxLayout(testBox);
    m_steps = new QListWidget;
    m_steps->setObjectName("testSteps");
    m_steps->setFixedHeight(fontMetrics().height() * 7 + 8);  // six steps, no scrolling
    m_steps->setWordWrap(true);
    testLayout->addWidget(m_steps);
    m_testSummary = new QLabel;
    m_testSummary->setObjectName("testSummary");
    m_testSummary->setWordWrap(true);
    m_testSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testLayout->addWidget(m_testSummary);
    layout->addWidget(testBox);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto* importButton = m_buttons->addButton(tr("&Import .properties…"), QDialogButtonBox::ActionRole);
    importButton->setObjectName("importButton");
    m_testButton = m_buttons->addButton(tr("&Test connection"), QDialogButtonBox::ActionRole);
    m_testButton->setObjectName("testButton");
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Kafka client properties"), QString(),
                                                          tr("Properties files (*.properties *.conf);;All files (*)"));
        if (!path.isEmpty()) importPropertiesFile(path);
    });
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(
        m_test, &ConnectionTest::stepFinished, this,
        [this](ConnectionTest::Step step, bool ok, const QString& message) { onStepFinished(int(step), ok, message); });
    connect(m_test, &ConnectionTest::finished, this, [this](bool ok, const QString& message) {
        m_testButton->setEnabled(true);
        m_testSummary->setText(message);
        m_testSummary->setStyleSheet(ok ? QString() : QStringLiteral("color: #b00020;"));
        // Steps after the failing one never ran.
        for (int i = 0; i < m_steps->count(); ++i) {
            QListWidgetItem* item = m_steps->item(i);
            if (item->data(Qt::UserRole + 1).toBool()) continue;
            item->setText(tr("–  %1: not run")
                              .arg(ConnectionTest::stepName(ConnectionTest::Step(item->data(Qt::UserRole).toInt()))));
            item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        }
    });

    for (QLineEdit* edit :
         {m_name, m_bootstrap, m_username, m_password, m_caFile, m_certFile, m_keyFile, m_keyPassword, m_metrics})
        connect(edit, &QLineEdit::textChanged, this, &ConnectionDialog::revalidate);
    for (QComboBox* combo : {m_protocol, m_mechanism})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            updateEnabledFields();
            revalidate();
        });
    updateEnabledFields();
    revalidate();
    resize(580, minimumSizeHint().height());
}

ConnectionDialog::~ConnectionDialog() = default;

QLabel* ConnectionDialog::errorLabel(const QString& kafkaName) {
    auto* label = new QLabel;
    label->setObjectName(kafkaName.isEmpty() ? QStringLiteral("generalError") : kafkaName + QStringLiteral(".error"));
    label->setStyleSheet(QStringLiteral("color: #b00020;"));
    label->setWordWrap(true);
    label->hide();
    m_errorLabels.insert(kafkaName, label);
    return label;
}

QLineEdit* ConnectionDialog::fileField(const QString& objectName, const QString& kafkaName, QWidget** row) {
    auto* edit = new QLineEdit;
    edit->setObjectName(objectName);
    edit->setToolTip(kafkaName);
    auto* browse = new QPushButton(tr("Browse…"));
    *row = new QWidget;
    auto* layout = new QHBoxLayout(*row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose a PEM file"), edit->text(),
                                                          tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!path.isEmpty()) edit->setText(path);
    });
    return edit;
}

void ConnectionDialog::updateEnabledFields() {
    const QString protocol = m_protocol->currentText();
    const bool sasl = protocol.startsWith(QLatin1String("SASL_"));
    const bool tls = protocol == QLatin1String("SSL") || protocol == QLatin1String("SASL_SSL");
    for (QWidget* widget : m_saslWidgets) widget->setEnabled(sasl);
    for (QWidget* widget : m_tlsWidgets) widget->setEnabled(tls);
}

ConnectionProfile ConnectionDialog::profile() const {
    ConnectionProfile profile;
    profile.id = m_id;
    profile.name = m_name->text().trimmed();
    for (int row = 0; row < m_advanced->rowCount(); ++row) {
        const QString key = m_advanced->item(row, 0) ? m_advanced->item(row, 0)->text().trimmed() : QString();
        const QString value = m_advanced->item(row, 1) ? m_advanced->item(row, 1)->text() : QString();
        if (key.isEmpty()) continue;
        if (ConnectionProfile::isSecretKey(key))
            profile.secrets.insert(key, value);
        else
            profile.setProperty(key, value);
    }
    const QString protocol = m_protocol->currentText();
    const bool sasl = protocol.startsWith(QLatin1String("SASL_"));
    const bool tls = protocol == QLatin1String("SSL") || protocol == QLatin1String("SASL_SSL");
    profile.setProperty("bootstrap.servers", m_bootstrap->text().remove(' '));
    profile.setProperty("security.protocol", protocol);
    // Settings of a protocol not in use are dropped, so they cannot fail validation unseen.
    if (sasl) {
        profile.setProperty("sasl.mechanism", m_mechanism->currentText());
        profile.setProperty("sasl.username", m_username->text());
        if (!m_password->text().isEmpty()) profile.secrets.insert("sasl.password", m_password->text());
    }
    if (tls) {
        profile.setProperty("ssl.ca.location", m_caFile->text());
        profile.setProperty("ssl.certificate.location", m_certFile->text());
        profile.setProperty("ssl.key.location", m_keyFile->text());
        if (!m_keyPassword->text().isEmpty()) profile.secrets.insert("ssl.key.password", m_keyPassword->text());
    }
    for (const QString& entry :
         m_metrics->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        profile.metricsEndpoints << entry;
    profile.hasPassword = !profile.secrets.isEmpty();
    return profile;
}

void ConnectionDialog::fillAdvanced(const QMap<QString, QString>& properties) {
    const QSignalBlocker blocker(m_advanced);
    m_advanced->setRowCount(0);
    for (auto it = properties.cbegin(); it != properties.cend(); ++it) {
        if (kFieldKeys.contains(it.key())) continue;
        const int row = m_advanced->rowCount();
        m_advanced->insertRow(row);
        m_advanced->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_advanced->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
}

void ConnectionDialog::setProfile(const ConnectionProfile& profile) {
    m_id = profile.id.isEmpty() ? ConnectionProfile::create().id : profile.id;
    m_name->setText(profile.name);
    m_bootstrap->setText(profile.property("bootstrap.servers"));
    const QString protocol = profile.property("security.protocol").toUpper();
    m_protocol->setCurrentText(protocol.isEmpty() ? QStringLiteral("PLAINTEXT") : protocol);
    const QString mechanism = profile.property("sasl.mechanism").toUpper();
    m_mechanism->setCurrentText(mechanism.isEmpty() ? QStringLiteral("PLAIN") : mechanism);
    m_username->setText(profile.property("sasl.username"));
    m_password->setText(profile.secrets.value("sasl.password"));
    m_caFile->setText(profile.property("ssl.ca.location"));
    m_certFile->setText(profile.property("ssl.certificate.location"));
    m_keyFile->setText(profile.property("ssl.key.location"));
    m_keyPassword->setText(profile.secrets.value("ssl.key.password"));
    m_metrics->setText(profile.metricsEndpoints.join(QStringLiteral(", ")));
    fillAdvanced(profile.properties);
    m_steps->clear();
    m_testSummary->clear();
    updateEnabledFields();
    revalidate();
}

bool ConnectionDialog::importPropertiesFile(const QString& path) {
    ConnectionProfile imported;
    QString error;
    if (!ConnectionProfile::fromPropertiesFile(path, &imported, &error)) {
        QMessageBox::warning(this, tr("Import .properties"), tr("Cannot import %1:\n%2").arg(path, error));
        return false;
    }
    // Importing into an existing profile keeps its identity (and its name, when it has one).
    imported.id = m_id;
    if (!m_name->text().trimmed().isEmpty()) imported.name = m_name->text().trimmed();
    setProfile(imported);
    return true;
}

void ConnectionDialog::revalidate() {
    const ConnectionProfile::Errors errors = profile().validate();
    for (auto it = m_errorLabels.cbegin(); it != m_errorLabels.cend(); ++it) {
        const QString message = errors.value(it.key());
        it.value()->setText(message);
        it.value()->setVisible(!message.isEmpty());
    }
    // A problem in a field the form does not show goes in the general line.
    QStringList general;
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        if (it.key().isEmpty() || !m_errorLabels.contains(it.key())) general << it.value();
    m_generalError->setText(general.join('\n'));
    m_generalError->setVisible(!general.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(errors.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)
        ->setToolTip(errors.isEmpty() ? QString() : tr("Fix the fields marked in red first."));
}

void ConnectionDialog::testConnection() {
    const ConnectionProfile current = profile();
    m_steps->clear();
    m_testSummary->setStyleSheet(QString());
    m_testSummary->setText(tr("Testing…"));
    for (ConnectionTest::Step step : ConnectionTest::stepsFor(current)) {
        auto* item = new QListWidgetItem(tr("…  %1").arg(ConnectionTest::stepName(step)));
        item->setData(Qt::UserRole, int(step));
        m_steps->addItem(item);
    }
    m_testButton->setEnabled(false);
    m_test->start(current);
}

void ConnectionDialog::onStepFinished(int step, bool ok, const QString& message) {
    for (int i = 0; i < m_steps->count(); ++i) {
        QListWidgetItem* item = m_steps->item(i);
        if (item->data(Qt::UserRole).toInt() != step) continue;
        item->setData(Qt::UserRole + 1, true);
        item->setText(QStringLiteral("%1  %2: %3")
                          .arg(ok ? QStringLiteral("✓") : QStringLiteral("✗"),
                               ConnectionTest::stepName(ConnectionTest::Step(step)), message));
        item->setForeground(ok ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb0, 0x00, 0x20));
    }
}

}  // namespace partita::ui
