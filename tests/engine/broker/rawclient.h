// Raw Kafka requests for broker tests: one request encoded with the codec, one response decoded, over a socket.
#pragma once

#include "engine/protocol/frame.h"

#include <QTcpSocket>
#include <QtEndian>

#include <memory>

namespace partita::tests {

// Sends `request` at `version` and waits (10 s at most) for its response; fails the test binary
// if the broker closes the connection or answers something that does not decode.
template <class Response>
std::unique_ptr<Response> call(QTcpSocket& socket, const protocol::ApiMessage& request, int16_t version) {
    static int32_t correlation = 0;
    protocol::RequestHeader header;
    header.requestApiKey = request.messageApiKey();
    header.requestApiVersion = version;
    header.correlationId = ++correlation;
    header.clientId = "partita-test";
    auto frame = protocol::encodeRequest(header, request);
    if (!frame) qFatal("encode: %s", frame.error().message.c_str());
    socket.write(reinterpret_cast<const char*>(frame->data()), qint64(frame->size()));
    QByteArray in;
    while (in.size() < 4 || in.size() < 4 + qFromBigEndian<qint32>(in.constData())) {
        if (!socket.waitForReadyRead(10000)) qFatal("no response to %s", request.messageName());
        in += socket.readAll();
    }
    auto body = Bytes::copyOf(std::span(reinterpret_cast<const uint8_t*>(in.constData()) + 4, size_t(in.size() - 4)));
    auto decoded = protocol::decodeResponse(body, request.messageApiKey(), version);
    if (!decoded) qFatal("decode: %s", decoded.error().message.c_str());
    return std::unique_ptr<Response>(static_cast<Response*>(decoded->body.release()));
}

}  // namespace partita::tests
