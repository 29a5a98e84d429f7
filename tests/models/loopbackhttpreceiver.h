// LoopbackHttpReceiver: a tiny HTTP/1.1 server on 127.0.0.1 for webhook and scrape tests: records
// each request's method and body and answers with the next queued status (200 once the queue is
// empty) and `answer` as the body, closing the connection after each answer.
#pragma once

#include <QByteArrayList>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace partita::tests {

class LoopbackHttpReceiver {
public:
    LoopbackHttpReceiver() {
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    buffer->append(socket->readAll());
                    const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
                    if (headerEnd < 0) return;
                    qsizetype length = 0;
                    for (const QByteArray& line : buffer->left(headerEnd).split('\n')) {
                        if (line.toLower().startsWith("content-length:")) length = line.mid(15).trimmed().toLongLong();
                    }
                    if (buffer->size() < headerEnd + 4 + length) return;
                    requests.append(buffer->left(headerEnd).split(' ').value(0));
                    bodies.append(buffer->mid(headerEnd + 4, length));
                    buffer->clear();
                    const int status = statuses.isEmpty() ? 200 : statuses.takeFirst();
                    socket->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") +
                                  "\r\nContent-Type: text/plain\r\nContent-Length: " +
                                  QByteArray::number(answer.size()) + "\r\nConnection: close\r\n\r\n" + answer);
                    socket->disconnectFromHost();
                });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/hook").arg(m_server.serverPort()); }
    quint16 port() const { return m_server.serverPort(); }

    QByteArray answer = "ok";
    QList<int> statuses;
    QByteArrayList requests;  // methods
    QByteArrayList bodies;

private:
    QTcpServer m_server;
};

}  // namespace partita::tests
