#include "client/DeviceJson.h"

#include "protocol/Errors.h"
#include "protocol/StrictJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSsl>

#include <limits>

namespace signiq::console::devicejson {

using core::ErrorCode;
using core::makeError;

namespace {

core::Error parseError(const QString &message)
{
    return makeError(ErrorCode::Parse, message);
}

core::Result<std::optional<qint64>> optionalInteger(const QJsonObject &o, const QString &name)
{
    const QJsonValue v = o.value(name);
    if (v.isNull())
        return std::optional<qint64>();
    const auto n = protocol::strictjson::wholeNumber(v, 0, std::numeric_limits<qint64>::max());
    if (!n)
        return parseError(QStringLiteral("%1: expected a whole number or null").arg(name));
    return n;
}

QString statusText(int status)
{
    switch (status) {
    case 400: return QStringLiteral("Bad Request");
    case 401: return QStringLiteral("Unauthorized");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("Not Found");
    case 405: return QStringLiteral("Method Not Allowed");
    case 409: return QStringLiteral("Conflict");
    case 413: return QStringLiteral("Payload Too Large");
    case 415: return QStringLiteral("Unsupported Media Type");
    case 422: return QStringLiteral("Unprocessable Entity");
    case 429: return QStringLiteral("Too Many Requests");
    case 500: return QStringLiteral("Internal Server Error");
    case 503: return QStringLiteral("Service Unavailable");
    default: return QString();
    }
}

} // namespace

core::Error httpError(int status, const QByteArray &body, const QByteArray &retryAfter)
{
    const auto error = protocol::ErrorBody::fromBody(body);
    const QString code = error ? error->code : QString();
    QString message = error ? error->message : QString();
    if (message.isEmpty())
        message = statusText(status).isEmpty() ? QStringLiteral("unexpected answer") : statusText(status).toLower();
    const QString detail = code.isEmpty() ? QStringLiteral("%1 (HTTP %2)").arg(message).arg(status)
                                          : QStringLiteral("%1 (HTTP %2 %3)").arg(message).arg(status).arg(code);
    ErrorCode mapped = ErrorCode::InvalidArgument;
    if (status == 401 || status == 403)
        mapped = ErrorCode::PermissionDenied;
    else if (status == 404)
        mapped = ErrorCode::NotFound;
    else if (status == 429 || status == 408)
        mapped = ErrorCode::Io;
    else if (status >= 500)
        mapped = ErrorCode::Internal;
    else if (status < 400)
        mapped = ErrorCode::Parse; // a redirect or 1xx is not part of the API
    if (status == 429 && !retryAfter.isEmpty())
        return makeError(mapped, detail + QStringLiteral("; retry after %1 s").arg(QString::fromLatin1(retryAfter)));
    return makeError(mapped, detail);
}

core::Result<QJsonObject> object(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return parseError(QStringLiteral("the answer is not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return parseError(QStringLiteral("the answer is not a JSON object"));
    return document.object();
}

core::Result<DeviceHealth> health(const QJsonObject &o)
{
    auto record = protocol::HealthRecord::fromJson(o);
    if (!record)
        return record.error();
    DeviceHealth h;
    static_cast<protocol::HealthRecord &>(h) = std::move(record).value();
    return h;
}


core::Result<WindowsPage> windowsPage(const QJsonObject &o)
{
    return protocol::parsePage<core::AudienceWindow>(o, QStringLiteral("windows"));
}

core::Result<DemographicWindowsPage> demographicWindowsPage(const QJsonObject &o)
{
    return protocol::parsePage<core::DemographicWindow>(o, QStringLiteral("demographic_windows"));
}

core::Result<AuditPage> auditPage(const QJsonObject &o)
{
    if (!o.value(QStringLiteral("entries")).isArray())
        return parseError(QStringLiteral("entries: missing or not an array"));
    AuditPage page;
    const QJsonArray array = o.value(QStringLiteral("entries")).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto e = protocol::AuditEntry::fromJson(array.at(i).toObject());
        if (!e)
            return parseError(QStringLiteral("entries[%1]: %2").arg(i).arg(e.error().message));
        page.entries.append(std::move(e).value());
    }
    auto next = optionalInteger(o, QStringLiteral("next_after"));
    if (!next)
        return next.error();
    page.nextAfter = *next;
    return page;
}

core::Result<ApiKeyInfo> keyInfo(const QJsonObject &o)
{
    return protocol::KeyInfo::fromJson(o);
}

core::Result<QList<ApiKeyInfo>> keyList(const QJsonObject &o)
{
    if (!o.value(QStringLiteral("keys")).isArray())
        return parseError(QStringLiteral("keys: missing or not an array"));
    QList<ApiKeyInfo> keys;
    for (const QJsonValue &v : o.value(QStringLiteral("keys")).toArray()) {
        auto k = keyInfo(v.toObject());
        if (!k)
            return k.error();
        keys.append(std::move(k).value());
    }
    return keys;
}

core::Result<IssuedKey> issuedKey(const QJsonObject &o)
{
    return protocol::IssuedKey::fromJson(o);
}

QJsonObject newKeyBody(const NewKeyRequest &request)
{
    return request.toJson();
}

core::Result<ZonesDocument> zonesDocument(const QJsonObject &zones, const QJsonObject &calibration)
{
    if (!zones.value(QStringLiteral("config")).isObject())
        return parseError(QStringLiteral("config: missing or not an object"));
    const QString version = zones.value(QStringLiteral("calibration_version")).toString();
    if (version.isEmpty())
        return parseError(QStringLiteral("calibration_version: missing"));
    QJsonObject merged = zones.value(QStringLiteral("config")).toObject();
    const QJsonValue c = calibration.value(QStringLiteral("calibration"));
    if (c.isObject())
        merged.insert(QStringLiteral("calibration"), c);
    else if (!c.isNull())
        return parseError(QStringLiteral("calibration: missing or not an object"));
    auto config = core::ZoneConfig::fromJson(QJsonDocument(merged).toJson(QJsonDocument::Compact));
    if (!config)
        return parseError(QStringLiteral("zone configuration: ") + config.error().message);
    return ZonesDocument{std::move(config).value(), version};
}

core::Result<QString> calibrationVersion(const QJsonObject &o)
{
    const QString version = o.value(QStringLiteral("calibration_version")).toString();
    if (version.isEmpty())
        return parseError(QStringLiteral("calibration_version: missing"));
    return version;
}

QString tlsProtocolName(int sslProtocol)
{
    switch (static_cast<QSsl::SslProtocol>(sslProtocol)) {
    case QSsl::TlsV1_3: return QStringLiteral("TLS 1.3");
    case QSsl::TlsV1_2: return QStringLiteral("TLS 1.2");
    case QSsl::UnknownProtocol: return QString();
    default: return QStringLiteral("TLS (older than 1.2)");
    }
}

// ---- multipart ---------------------------------------------------------------------------

QByteArray MultipartReader::boundaryOf(const QByteArray &contentType)
{
    for (const QByteArray &parameter : contentType.split(';')) {
        const QByteArray p = parameter.trimmed();
        if (p.toLower().startsWith("boundary=")) {
            QByteArray value = p.mid(9).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            return value;
        }
    }
    return {};
}

core::Status MultipartReader::feed(const QByteArray &data)
{
    if (m_finished)
        return {};
    m_buffer += data;
    if (const core::Status parsed = parse(); !parsed)
        return parsed;
    if (m_buffer.size() > MaxBufferedBytes)
        return parseError(QStringLiteral("overlay stream: a part larger than %1 bytes").arg(MaxBufferedBytes));
    return {};
}

core::Status MultipartReader::parse()
{
    if (m_boundary.isEmpty())
        return parseError(QStringLiteral("overlay stream: no multipart boundary"));
    const QByteArray delimiter = "--" + m_boundary;
    for (;;) {
        // The next delimiter line (anything before the first one is preamble).
        const qsizetype at = m_buffer.indexOf(delimiter);
        if (at < 0) {
            // Keep a tail that may hold the start of a delimiter.
            if (m_buffer.size() > delimiter.size() + 2)
                m_buffer.remove(0, m_buffer.size() - delimiter.size() - 2);
            return {};
        }
        const qsizetype afterDelimiter = at + delimiter.size();
        if (m_buffer.size() < afterDelimiter + 2)
            return {};
        if (m_buffer.mid(afterDelimiter, 2) == "--") {
            m_finished = true;
            m_buffer.clear();
            return {};
        }
        const qsizetype headersEnd = m_buffer.indexOf("\r\n\r\n", afterDelimiter);
        if (headersEnd < 0)
            return {};
        Part part;
        qsizetype length = -1;
        const QList<QByteArray> lines = m_buffer.mid(afterDelimiter, headersEnd - afterDelimiter).split('\n');
        for (const QByteArray &raw : lines) {
            const QByteArray line = raw.trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            bool ok = true;
            if (name == "content-type")
                part.contentType = value;
            else if (name == "content-length")
                length = value.toLongLong(&ok);
            else if (name == "x-timestamp-ms")
                part.timestampMs = value.toLongLong(&ok);
            if (!ok || length < -1)
                return parseError(QStringLiteral("overlay stream: bad part header '%1'").arg(QString::fromLatin1(line)));
        }
        const qsizetype bodyAt = headersEnd + 4;
        if (length >= 0) {
            if (length > MaxBufferedBytes)
                return parseError(QStringLiteral("overlay stream: a part of %1 bytes").arg(length));
            if (m_buffer.size() < bodyAt + length)
                return {};
            part.body = m_buffer.mid(bodyAt, length);
            m_buffer.remove(0, bodyAt + length);
        } else {
            const qsizetype next = m_buffer.indexOf(QByteArray("\r\n" + delimiter), bodyAt);
            if (next < 0)
                return {};
            part.body = m_buffer.mid(bodyAt, next - bodyAt);
            m_buffer.remove(0, next);
        }
        m_parts.append(std::move(part));
    }
}

} // namespace signiq::console::devicejson
