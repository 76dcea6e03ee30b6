#include "api/RouteTable.h"

namespace signiq::api {

void RouteTable::add(Route route)
{
    m_patterns.append(route.pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts));
    m_routes.append(std::move(route));
}

bool RouteTable::matchPath(const QStringList &pattern, const QStringList &parts, QStringList &params)
{
    if (pattern.size() != parts.size())
        return false;
    QStringList found;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern[i].startsWith(QLatin1Char('{')) && pattern[i].endsWith(QLatin1Char('}')))
            found << parts[i];
        else if (pattern[i] != parts[i])
            return false;
    }
    params = found;
    return true;
}

RouteTable::Match RouteTable::match(const QString &method, const QString &path) const
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    Match out;
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        QStringList params;
        if (!matchPath(m_patterns[i], parts, params))
            continue;
        if (m_routes[i].method == method) {
            out.route = &m_routes[i];
            out.params = params;
            return out;
        }
        if (!out.allowed.contains(m_routes[i].method))
            out.allowed << m_routes[i].method;
    }
    return out;
}

} // namespace signiq::api
