// bulk_produce_bench: MessageProducer::sendBulk throughput, N messages of SIZE bytes from a
// template with {{counter}}, into a topic it creates. Prints a RESULT line for
// tests/bench/bulk_produce_bench.sh.
//
//   bulk_produce_bench BOOTSTRAP TOPIC [MSGS=1000000] [SIZE=200] [PARTITIONS=4] [ACKS=-1] [CODEC=none]
#include "clienttestutil.h"

#include "models/clustersession.h"
#include "models/messageproducer.h"
#include "models/messagetemplate.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

using namespace partita;
using namespace partita::models;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s BOOTSTRAP TOPIC [MSGS] [SIZE] [PARTITIONS] [ACKS] [CODEC]\n", argv[0]);
        return 2;
    }
    const QString bootstrap = QString::fromLocal8Bit(argv[1]);
    const QString topic = QString::fromLocal8Bit(argv[2]);
    const qint64 count = argc > 3 ? QByteArray(argv[3]).toLongLong() : 1000000;
    const int size = argc > 4 ? QByteArray(argv[4]).toInt() : 200;
    const int partitions = argc > 5 ? QByteArray(argv[5]).toInt() : 4;
    const int acks = argc > 6 ? QByteArray(argv[6]).toInt() : -1;
    const QString codec = argc > 7 ? QString::fromLocal8Bit(argv[7]) : QStringLiteral("none");

    ClusterSession session(tests::clientConfig(bootstrap));
    session.setRefreshInterval(600000);
    if (!session.admin()) {
        std::fprintf(stderr, "no admin client\n");
        return 1;
    }
    const QString created = tests::createTopic(*session.admin(), topic.toStdString(), partitions);
    if (!created.isEmpty()) {
        std::fprintf(stderr, "create topic: %s\n", qPrintable(created));
        return 1;
    }

    // {{counter:10000000}} is 8 digits for the first 90 M messages: every value is SIZE bytes.
    MessageTemplate t;
    t.value = QByteArray("{{counter:10000000}}") + QByteArray(qMax(0, size - 8), 'x');
    t.acks = acks;
    t.codec = codec;
    MessageProducer producer(&session);
    int exitCode = 1;
    QObject::connect(&producer, &MessageProducer::bulkFinished,
                     [&](qint64 delivered, qint64 failed, bool cancelled, const QString& firstError, qint64 elapsedMs) {
                         const double seconds = double(elapsedMs) / 1000.0;
                         const double rate = seconds > 0 ? double(delivered) / seconds : 0;
                         std::printf(
                             "RESULT msgs=%lld delivered=%lld failed=%lld cancelled=%d seconds=%.3f msgs_per_s=%.0f "
                             "MB_per_s=%.1f\n",
                             static_cast<long long>(count), static_cast<long long>(delivered),
                             static_cast<long long>(failed), int(cancelled), seconds, rate, rate * size / 1e6);
                         if (!firstError.isEmpty()) std::printf("first error: %s\n", qPrintable(firstError));
                         exitCode = failed == 0 && delivered == count ? 0 : 1;
                         QCoreApplication::quit();
                     });
    QTimer::singleShot(0, [&] {
        QString error;
        if (!producer.sendBulk(topic, t, count, &error)) {
            std::fprintf(stderr, "sendBulk: %s\n", qPrintable(error));
            QCoreApplication::exit(1);
        }
    });
    const int loop = app.exec();
    return loop != 0 ? loop : exitCode;
}
