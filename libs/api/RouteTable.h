#pragma once

#include "api/ApiExchange.h"
#include "api/ApiKey.h"

#include <QList>
#include <QString>

#include <functional>

namespace signiq::http {
class StreamOpener;
}

namespace signiq::api {

// Where a streaming endpoint (the overlay) writes: the HTTP front's way to turn the request's
// connection into a stream. Filled by the transport.
struct StreamTarget {
    http::StreamOpener *opener = nullptr;
};

using Handler = std::function<ApiResponse(const ApiRequest &, const Caller &)>;
// Returns an answer to send (e.g. an error), or nothing once it has taken the connection over.
using StreamHandler = std::function<std::optional<ApiResponse>(const ApiRequest &, const Caller &, StreamTarget &)>;

// One endpoint: method, path pattern ("/v1/keys/{id}/rotate"), the scopes it needs (every
// entry must be held; an entry with several flags means any of them; empty and `open`: no
// key needed), and its handler.
struct Route {
    QString method;
    QString pattern;
    QList<Scopes> scopes;
    bool open = false;
    Handler handler;
    StreamHandler stream; // instead of handler, for long-lived responses
};

// The route table: the API's one list of endpoints (also what the OpenAPI contract test reads).
class RouteTable {
public:
    void add(Route route);

    struct Match {
        const Route *route = nullptr; // null: 404 when `allowed` is empty, else 405
        QStringList params;
        QStringList allowed;          // methods the path does support
    };
    Match match(const QString &method, const QString &path) const;

    const QList<Route> &routes() const { return m_routes; }

private:
    static bool matchPath(const QStringList &pattern, const QStringList &parts, QStringList &params);

    QList<Route> m_routes;
    QList<QStringList> m_patterns; // split patterns, parallel to m_routes
};

} // namespace signiq::api
