// createTopicWithLibrdkafka: CreateTopics through librdkafka's admin API, for the librdkafka bench tools.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <string>

// Creates `topic` with `partitions` partitions (replication factor 1); one that exists already is
// fine. Errors are printed with the tool's name; returns false on any.
inline bool createTopicWithLibrdkafka(rd_kafka_t* rk, const std::string& topic, int partitions, const char* tool) {
    char error[512];
    rd_kafka_NewTopic_t* newTopic = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof error);
    if (!newTopic) {
        std::fprintf(stderr, "%s: NewTopic: %s\n", tool, error);
        return false;
    }
    rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &newTopic, 1, nullptr, queue);
    rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
    bool ok = true;
    if (!event) {
        std::fprintf(stderr, "%s: CreateTopics: no answer in 30 s\n", tool);
        ok = false;
    } else if (rd_kafka_event_error(event)) {
        std::fprintf(stderr, "%s: CreateTopics: %s\n", tool, rd_kafka_event_error_string(event));
        ok = false;
    } else {
        size_t count = 0;
        const rd_kafka_topic_result_t** results =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
        for (size_t i = 0; i < count; ++i) {
            rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
            if (err && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                std::fprintf(stderr, "%s: CreateTopics %s: %s\n", tool, topic.c_str(),
                             rd_kafka_topic_result_error_string(results[i]));
                ok = false;
            }
        }
    }
    if (event) rd_kafka_event_destroy(event);
    rd_kafka_queue_destroy(queue);
    rd_kafka_NewTopic_destroy(newTopic);
    return ok;
}
