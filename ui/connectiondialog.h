// ConnectionDialog: adds or edits a saved cluster: Kafka client settings, .properties import,
// per-field validation and a step-by-step connection test.
#pragma once

#include "models/connectionprofile.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace partita::models {
class ConnectionTest;
}

namespace partita::ui {

class ConnectionDialog : public QDialog {
    Q_OBJECT

public:
    // A new cluster (fresh id) until setProfile() is called.
    explicit ConnectionDialog(QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    // Fills the fields from a saved profile, its secrets included when known.
    void setProfile(const models::ConnectionProfile& profile);
    // What the fields say now: same id as the profile given, secrets typed in the dialog.
    models::ConnectionProfile profile() const;

    // What "Import .properties…" does once a file is picked; false (and a message) when unreadable.
    bool importPropertiesFile(const QString& path);
    // Starts the connection test with the fields as they are.
    void testConnection();

private:
    QLineEdit* fileField(const QString& objectName, const QString& kafkaName, QWidget** row);
    QLabel* errorLabel(const QString& kafkaName);
    void revalidate();
    void updateEnabledFields();
    void fillAdvanced(const QMap<QString, QString>& properties);
    void onStepFinished(int step, bool ok, const QString& message);

    QString m_id;
    QLineEdit* m_name;
    QLineEdit* m_bootstrap;
    QComboBox* m_protocol;
    QComboBox* m_mechanism;
    QLineEdit* m_username;
    QLineEdit* m_password;
    QLineEdit* m_caFile;
    QLineEdit* m_certFile;
    QLineEdit* m_keyFile;
    QLineEdit* m_keyPassword;
    QLineEdit* m_metrics = nullptr;
    QList<QWidget*> m_saslWidgets;
    QList<QWidget*> m_tlsWidgets;
    QTableWidget* m_advanced;
    QPushButton* m_testButton;
    QListWidget* m_steps;
    QLabel* m_testSummary;
    QLabel* m_generalError;
    QDialogButtonBox* m_buttons;
    QHash<QString, QLabel*> m_errorLabels;  // by Kafka property name
    models::ConnectionTest* m_test;
};

}  // namespace partita::ui
