#include "protocol/AuditChain.h"

#include "protocol/Csv.h"

#include "crypto/Hash.h"

#include <QJsonDocument>

#include <limits>

namespace signiq::protocol {

using core::ErrorCode;
using core::makeError;

namespace {

const QStringList kCsvColumns = {QStringLiteral("seq"), QStringLiteral("timestamp_ms"), QStringLiteral("actor"),
                                 QStringLiteral("source_ip"), QStringLiteral("action"), QStringLiteral("target"),
                                 QStringLiteral("result"), QStringLiteral("prev_hash"), QStringLiteral("hash")};

} // namespace

QByteArray AuditEntry::canonical() const
{
    // QJsonDocument writes object keys sorted, compact: a stable canonical form.
    const QJsonObject o{{QStringLiteral("seq"), seq},
                        {QStringLiteral("timestamp_ms"), timestampMs},
                        {QStringLiteral("actor"), actor},
                        {QStringLiteral("source_ip"), sourceIp},
                        {QStringLiteral("action"), action},
                        {QStringLiteral("target"), target},
                        {QStringLiteral("result"), result},
                        {QStringLiteral("prev_hash"), prevHash}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString AuditEntry::computeHash() const
{
    const QByteArray covered = prevHash.toLatin1() + canonical();
    return QString::fromLatin1(crypto::sha256(covered).toHex());
}

QJsonObject AuditEntry::toJson() const
{
    QJsonObject o = QJsonDocument::fromJson(canonical()).object();
    o.insert(QStringLiteral("hash"), hash);
    return o;
}

core::Result<AuditEntry> AuditEntry::fromJson(const QJsonObject &o)
{
    static const QStringList keys = kCsvColumns;
    for (const QString &key : keys) {
        if (!o.contains(key))
            return makeError(ErrorCode::Parse, QStringLiteral("audit entry without '%1'").arg(key));
    }
    if (o.size() != keys.size())
        return makeError(ErrorCode::Parse, QStringLiteral("audit entry with unknown fields"));
    AuditEntry e;
    e.seq = o.value(QStringLiteral("seq")).toInteger(-1);
    e.timestampMs = o.value(QStringLiteral("timestamp_ms")).toInteger(-1);
    e.actor = o.value(QStringLiteral("actor")).toString();
    e.sourceIp = o.value(QStringLiteral("source_ip")).toString();
    e.action = o.value(QStringLiteral("action")).toString();
    e.target = o.value(QStringLiteral("target")).toString();
    e.result = o.value(QStringLiteral("result")).toString();
    e.prevHash = o.value(QStringLiteral("prev_hash")).toString();
    e.hash = o.value(QStringLiteral("hash")).toString();
    return e;
}

QString AuditChain::genesisHash()
{
    return QString(64, QLatin1Char('0'));
}

AuditEntry AuditChain::link(AuditEntry entry, const AuditEntry *previous)
{
    entry.seq = previous ? previous->seq + 1 : 1;
    entry.prevHash = previous ? previous->hash : genesisHash();
    entry.hash = entry.computeHash();
    return entry;
}

std::optional<ChainBreak> AuditChain::verify(const QList<AuditEntry> &entries, const QString &expectedFirstPrevHash)
{
    // Sequence numbers start at 1 (an export is outside input: its numbers are checked before
    // any arithmetic on them, so seq = -2^63 or 2^63 - 1 is a break, never an overflow).
    const auto badSeq = [](qsizetype i, qint64 seq) {
        return ChainBreak{i, seq, QStringLiteral("entry %1 has an invalid sequence number (they start at 1)").arg(seq)};
    };
    if (!entries.isEmpty() && entries.first().seq < 1)
        return badSeq(0, entries.first().seq);
    QString expectedPrev = expectedFirstPrevHash;
    qint64 expectedSeq = entries.isEmpty() ? 1 : entries.first().seq;
    if (expectedFirstPrevHash == genesisHash() && !entries.isEmpty() && entries.first().seq != 1)
        return ChainBreak{0, entries.first().seq,
                          QStringLiteral("the chain starts at entry %1: entries 1..%2 are missing")
                              .arg(entries.first().seq)
                              .arg(entries.first().seq - 1)};
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const AuditEntry &e = entries.at(i);
        if (e.seq < 1)
            return badSeq(i, e.seq);
        if (e.hash != e.computeHash())
            return ChainBreak{i, e.seq, QStringLiteral("entry %1 was altered (its hash does not match its content)").arg(e.seq)};
        if (e.seq != expectedSeq) {
            const QString reason = e.seq > expectedSeq
                ? QStringLiteral("entries %1..%2 are missing before entry %3").arg(expectedSeq).arg(e.seq - 1).arg(e.seq)
                : QStringLiteral("entry %1 appears out of order or twice after entry %2").arg(e.seq).arg(expectedSeq - 1);
            return ChainBreak{i, e.seq, reason};
        }
        if (e.prevHash != expectedPrev)
            return ChainBreak{i, e.seq,
                              QStringLiteral("entry %1 does not follow entry %2 (previous-hash mismatch: an entry was inserted, "
                                             "removed or replaced)")
                                  .arg(e.seq)
                                  .arg(e.seq - 1)};
        expectedPrev = e.hash;
        if (i + 1 == entries.size())
            break; // no next entry: do not step past the largest sequence number
        if (expectedSeq == std::numeric_limits<qint64>::max())
            return ChainBreak{i + 1, entries.at(i + 1).seq,
                              QStringLiteral("entry %1 follows the largest sequence number %2").arg(entries.at(i + 1).seq).arg(e.seq)};
        ++expectedSeq;
    }
    return std::nullopt;
}

QByteArray AuditChain::toJsonLines(const QList<AuditEntry> &entries, const AuditHead *head)
{
    QByteArray out;
    for (const AuditEntry &e : entries)
        out += QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
    if (head)
        out += QJsonDocument(head->toJson()).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

QByteArray AuditChain::toCsv(const QList<AuditEntry> &entries, const AuditHead *head)
{
    QString out = kCsvColumns.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const AuditEntry &e : entries) {
        const QStringList fields{QString::number(e.seq), QString::number(e.timestampMs), e.actor, e.sourceIp, e.action,
                                 e.target, e.result, e.prevHash, e.hash};
        out += csvRow(fields) + QLatin1Char('\n');
    }
    if (head)
        out += csvRow(head->toCsvFields()) + QLatin1Char('\n');
    return out.toUtf8();
}

core::Result<QList<AuditEntry>> AuditChain::parseExport(const QByteArray &data)
{
    auto parsed = parseExportWithHead(data);
    if (!parsed)
        return parsed.error();
    return std::move(parsed->entries);
}

core::Result<AuditChain::Export> AuditChain::parseExportWithHead(const QByteArray &data)
{
    QList<AuditEntry> entries;
    std::optional<AuditHead> head;
    const QByteArray trimmed = data.trimmed();
    if (trimmed.startsWith('{')) {
        qsizetype lineNo = 0;
        for (const QByteArray &line : data.split('\n')) {
            ++lineNo;
            if (line.trimmed().isEmpty())
                continue;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject())
                return makeError(ErrorCode::Parse, QStringLiteral("line %1: not a JSON object (%2)").arg(lineNo).arg(error.errorString()));
            if (head)
                return makeError(ErrorCode::Parse, QStringLiteral("line %1: after the audit head (the head must be the last line)").arg(lineNo));
            if (AuditHead::isHeadObject(doc.object())) {
                auto parsedHead = AuditHead::fromJson(doc.object());
                if (!parsedHead)
                    return makeError(parsedHead.error().code, QStringLiteral("line %1: %2").arg(lineNo).arg(parsedHead.error().message));
                head = *parsedHead;
                continue;
            }
            auto entry = AuditEntry::fromJson(doc.object());
            if (!entry)
                return makeError(ErrorCode::Parse, QStringLiteral("line %1: %2").arg(lineNo).arg(entry.error().message));
            entries << *entry;
        }
        return Export{entries, head};
    }
    auto rows = parseCsv(QString::fromUtf8(data));
    if (!rows)
        return rows.error();
    if (rows->isEmpty() || rows->first() != kCsvColumns)
        return makeError(ErrorCode::Parse,
                         QStringLiteral("not an audit export: expected JSON lines or CSV with header %1").arg(kCsvColumns.join(QLatin1Char(','))));
    for (qsizetype i = 1; i < rows->size(); ++i) {
        QStringList r = rows->at(i);
        for (QString &cell : r)
            cell = csvText(cell); // undo the formula neutralisation (protocol/Csv.h)
        if (head)
            return makeError(ErrorCode::Parse, QStringLiteral("CSV row %1: after the audit head (the head must be the last row)").arg(i + 1));
        if (!r.isEmpty() && r.first() == AuditHead::csvMarker()) {
            auto parsedHead = AuditHead::fromCsvFields(r);
            if (!parsedHead)
                return makeError(parsedHead.error().code, QStringLiteral("CSV row %1: %2").arg(i + 1).arg(parsedHead.error().message));
            head = *parsedHead;
            continue;
        }
        if (r.size() != kCsvColumns.size())
            return makeError(ErrorCode::Parse, QStringLiteral("CSV row %1 has %2 fields, expected %3").arg(i + 1).arg(r.size()).arg(kCsvColumns.size()));
        bool okSeq = false, okTs = false;
        AuditEntry e;
        e.seq = r[0].toLongLong(&okSeq);
        e.timestampMs = r[1].toLongLong(&okTs);
        if (!okSeq || !okTs)
            return makeError(ErrorCode::Parse, QStringLiteral("CSV row %1: seq and timestamp_ms must be numbers").arg(i + 1));
        e.actor = r[2];
        e.sourceIp = r[3];
        e.action = r[4];
        e.target = r[5];
        e.result = r[6];
        e.prevHash = r[7];
        e.hash = r[8];
        entries << e;
    }
    return Export{entries, head};
}

} // namespace signiq::protocol
