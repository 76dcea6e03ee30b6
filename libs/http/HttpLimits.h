#pragma once

#include <QtGlobal>

namespace signiq::http {

// What one client may cost the server. Every limit is enforced while reading, before anything
// is buffered beyond it (docs/security.md, "HTTP front").
struct Limits {
    // Request line plus all header lines, in bytes; over it: 431.
    int maxHeaderBytes = 16 * 1024;
    // Number of header fields; over it: 431.
    int maxHeaderCount = 64;
    // Body bytes; a Content-Length over it is refused with 413 before one body byte is read,
    // a chunked body as soon as it passes it.
    qint64 maxBodyBytes = 64 * 1024;
    // A connection with no request under way is closed after this (keep-alive and a fresh
    // connection that sends nothing).
    int idleTimeoutMs = 15000;
    // From the first byte of a request to the end of its header (slow headers): 408, closed.
    int headerTimeoutMs = 10000;
    // From the end of the header to the end of the body (slow bodies): 408, closed.
    int bodyTimeoutMs = 30000;
    // Requests per connection; the last answer says "Connection: close".
    int maxRequestsPerConnection = 100;
    // Connections open at once (in the TLS handshake or after), in total and per address; a
    // connection over either cap is closed before the handshake.
    int maxConnections = 256;
    int maxConnectionsPerAddress = 32;
    // New connections per source address: `newConnectionBurst` at once, then
    // `newConnectionsPerSecond` (a token bucket); over it, closed before the TLS handshake, so a
    // reconnecting client cannot spend the server's CPU on handshakes. 0 = no rate cap.
    double newConnectionsPerSecond = 10;
    int newConnectionBurst = 40;
    // While more than this waits to be sent on a connection, the next pipelined request is not
    // read (a client that sends without reading stalls itself, not the server's memory).
    qint64 maxPendingWriteBytes = 1024 * 1024;
    // The TLS handshake must finish within this.
    int handshakeTimeoutMs = 10000;
};

} // namespace signiq::http
