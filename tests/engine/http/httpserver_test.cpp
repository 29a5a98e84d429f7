// Tests of engine/http's HttpServer on loopback: routing, methods, keep-alive, limits and bytes that are not HTTP.
#include "engine/http/httpserver.h"

#include <QTcpSocket>
#include <QTest>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <thread>

using namespace partita::http;

namespace {

QByteArray exchange(int port, const QByteArray& bytes, int quietMs = 2000) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(port));
    if (!socket.waitForConnected(5000)) return "no connection";
    socket.write(bytes);
    socket.waitForBytesWritten(5000);
    QByteArray answer;
    while (socket.waitForReadyRead(quietMs)) answer += socket.readAll();
    return answer;
}

}  // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        HttpServerOptions options;
        options.maxHeaderBytes = 4096;
        options.readTimeout = std::chrono::seconds(5);
        m_server = std::make_unique<HttpServer>(
            m_io,
            [this](const HttpRequest& request) {
                m_requests++;
                if (request.path == "/metrics") return HttpResponse{200, "text/plain; version=0.0.4", "up 1\n"};
                if (request.path == "/boom") throw std::runtime_error("handler bug");
                return HttpResponse{404, "text/plain", "not found\n"};
            },
            options);
        auto port = m_server->listen("127.0.0.1", 0);
        QVERIFY(port.ok());
        m_port = *port;
        for (int i = 0; i < 2; ++i) m_threads.emplace_back([this] { m_io.run(); });
    }

    void cleanupTestCase() {
        m_server->stop();
        m_work.reset();
        m_io.stop();
        for (auto& thread : m_threads) thread.join();
    }

    void getAndHead() {
        QByteArray get = exchange(m_port, "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        QVERIFY2(get.startsWith("HTTP/1.1 200"), get.constData());
        QVERIFY(get.contains("Content-Type: text/plain; version=0.0.4"));
        QVERIFY(get.endsWith("\r\n\r\nup 1\n"));
        QByteArray head = exchange(m_port, "HEAD /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        QVERIFY2(head.startsWith("HTTP/1.1 200") && head.contains("Content-Length: 5") && head.endsWith("\r\n\r\n"),
                 head.constData());
        QVERIFY(exchange(m_port, "GET /other HTTP/1.0\r\n\r\n").startsWith("HTTP/1.0 404"));
    }

    void keepAliveServesSeveralRequests() {
        QByteArray three = exchange(m_port,
                                    "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"
                                    "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"
                                    "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        QCOMPARE(three.count("HTTP/1.1 200 OK"), 3);
    }

    void otherMethodsAre405() {
        for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
            QByteArray answer = exchange(
                m_port, QByteArray(method) + " /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 500);
            QVERIFY2(answer.startsWith("HTTP/1.1 405") && answer.contains("Allow: GET, HEAD"), answer.constData());
        }
    }

    void limitsAndGarbage() {
        QVERIFY(
            exchange(m_port, "GET / HTTP/1.1\r\nX: " + QByteArray(10000, 'x') + "\r\n\r\n").startsWith("HTTP/1.1 431"));
        QVERIFY(exchange(m_port, "GET / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789").startsWith("HTTP/1.1 413"));
        QVERIFY(exchange(m_port, "\x16\x03\x01\x02garbage\r\n\r\n").startsWith("HTTP/1.1 400"));
        QVERIFY(exchange(m_port, "GET\r\n\r\n").startsWith("HTTP/1.1 400"));
        QVERIFY(exchange(m_port, "GET /metrics HTTP/1.1\r\nContent-Length: -5\r\n\r\n").startsWith("HTTP/1.1 400"));
        // A client that connects and says nothing, or half a request, is dropped after the read timeout.
        QByteArray half = exchange(m_port, "GET /metr", 8000);
        QVERIFY(half.isEmpty());
        // A handler that throws answers 500; the server goes on.
        QVERIFY(exchange(m_port, "GET /boom HTTP/1.1\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 500"));
        QVERIFY(exchange(m_port, "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
    }

    void parsesListenerSettings() {
        auto a = parseHttpListener("http://127.0.0.1:7071");
        QVERIFY(a.ok());
        QCOMPARE(a->host, std::string("127.0.0.1"));
        QCOMPARE(a->port, uint16_t(7071));
        auto b = parseHttpListener("http://:9404/");
        QVERIFY(b.ok());
        QVERIFY(b->host.empty());
        auto c = parseHttpListener("[::1]:0");
        QVERIFY(c.ok());
        QCOMPARE(c->host, std::string("::1"));
        QVERIFY(!parseHttpListener("https://127.0.0.1:7071"));
        QVERIFY(!parseHttpListener("http://127.0.0.1"));
        QVERIFY(!parseHttpListener("http://127.0.0.1:99999"));
        QVERIFY(!parseHttpListener("http://127.0.0.1:x"));
    }

private:
    boost::asio::io_context m_io;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_work{
        boost::asio::make_work_guard(m_io)};
    std::unique_ptr<HttpServer> m_server;
    std::vector<std::thread> m_threads;
    std::atomic<int> m_requests{0};
    int m_port = 0;
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "httpserver_test.moc"
