// rdkafka-mock-cluster: librdkafka's mock Kafka cluster (a broker implementation nobody here
// wrote) as a process the client tests drive through stdin, so they can move leaders, take
// brokers down and inject errors while our client talks to it.
//
//   rdkafka-mock-cluster BROKERS [TOPIC:PARTITIONS:RF]...
// prints the bootstrap list on the first line, then reads commands, one per line, answering
// "ok" or "error ..." to each:
//   leader TOPIC PARTITION BROKER   move a partition's leader
//   down BROKER / up BROKER         close a broker's connections and refuse new ones / undo
//   rtt BROKER MS                   delay every answer of a broker
//   errors APIKEY CODE COUNT        the next COUNT requests of APIKEY fail with CODE
// and exits when stdin closes.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: rdkafka-mock-cluster BROKERS [TOPIC:PARTITIONS:RF]...\n";
        return 2;
    }
    char errstr[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (rk == nullptr) {
        std::cerr << "rd_kafka_new: " << errstr << "\n";
        return 1;
    }
    rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, std::atoi(argv[1]));
    if (cluster == nullptr) {
        std::cerr << "could not create the mock cluster\n";
        return 1;
    }
    for (int i = 2; i < argc; ++i) {
        std::string spec = argv[i];
        std::replace(spec.begin(), spec.end(), ':', ' ');
        std::istringstream in(spec);
        std::string name;
        int partitions = 1, rf = 1;
        in >> name >> partitions >> rf;
        if (rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, rf) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            std::cerr << "could not create topic " << name << "\n";
            return 1;
        }
    }
    std::cout << rd_kafka_mock_cluster_bootstraps(cluster) << std::endl;

    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string command;
        in >> command;
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        if (command == "leader") {
            std::string topic;
            int partition = 0, broker = 0;
            in >> topic >> partition >> broker;
            err = rd_kafka_mock_partition_set_leader(cluster, topic.c_str(), partition, broker);
        } else if (command == "down" || command == "up") {
            int broker = 0;
            in >> broker;
            err = command == "down" ? rd_kafka_mock_broker_set_down(cluster, broker)
                                    : rd_kafka_mock_broker_set_up(cluster, broker);
        } else if (command == "rtt") {
            int broker = 0, ms = 0;
            in >> broker >> ms;
            err = rd_kafka_mock_broker_set_rtt(cluster, broker, ms);
        } else if (command == "errors") {
            int apiKey = 0, code = 0, count = 0;
            in >> apiKey >> code >> count;
            std::vector<rd_kafka_resp_err_t> errors(size_t(std::max(count, 0)), rd_kafka_resp_err_t(code));
            rd_kafka_mock_push_request_errors_array(cluster, int16_t(apiKey), errors.size(), errors.data());
        } else if (!command.empty()) {
            std::cout << "error unknown command " << command << std::endl;
            continue;
        }
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            std::cout << "error " << rd_kafka_err2str(err) << std::endl;
        else
            std::cout << "ok" << std::endl;
    }
    rd_kafka_mock_cluster_destroy(cluster);
    rd_kafka_destroy(rk);
    return 0;
}
