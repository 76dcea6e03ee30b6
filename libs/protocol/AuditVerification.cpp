#include "protocol/AuditVerification.h"

#include <QFile>

namespace signiq::protocol {

using core::ErrorCode;
using core::makeError;

QString auditTrustName(AuditTrust trust)
{
    switch (trust) {
    case AuditTrust::Intact: return QStringLiteral("intact");
    case AuditTrust::ChainOnly: return QStringLiteral("chain only");
    case AuditTrust::Broken: return QStringLiteral("BROKEN");
    }
    return QString();
}

QString AuditVerification::summary() const
{
    QString line;
    if (chainBreak) {
        line = QStringLiteral("audit log BROKEN at entry %1 (position %2 of %3): %4")
                   .arg(chainBreak->seq).arg(chainBreak->index + 1).arg(entries).arg(chainBreak->reason);
    } else if (trust == AuditTrust::Intact) {
        line = QStringLiteral("audit log intact: %1 entries, head %2 signed by audit key %3")
                   .arg(entries).arg(headHash.isEmpty() ? QStringLiteral("-") : headHash, head ? head->keyId : QString());
        if (checkpointsMatched > 0)
            line += QStringLiteral(", %1 checkpoint(s) matched").arg(checkpointsMatched);
    } else {
        line = QStringLiteral("audit log unsigned, chain only (NOT proved intact): %1 entries, head %2")
                   .arg(entries).arg(headHash.isEmpty() ? QStringLiteral("-") : headHash);
    }
    for (const QString &w : warnings)
        line += QStringLiteral("\n  warning: ") + w;
    return line;
}

namespace {

void breakAt(AuditVerification &v, qint64 index, qint64 seq, const QString &reason)
{
    if (v.chainBreak)
        return; // the first break is the one to report
    v.chainBreak = ChainBreak{index, seq, reason};
    v.trust = AuditTrust::Broken;
}

} // namespace

AuditVerification verifyAuditEntries(const QList<AuditEntry> &entries, const std::optional<AuditHead> &head,
                                     const AuditVerifyOptions &options, bool requireHead)
{
    AuditVerification v;
    v.entries = entries.size();
    v.head = head;
    v.headHash = entries.isEmpty() ? QString() : entries.last().hash;
    // A slice is only accepted without a head: an export that carries its head must start at 1.
    const bool slice = options.acceptSlice && !head && !entries.isEmpty() && entries.first().seq != 1;
    const bool keyGiven = !options.publicKey.isEmpty();

    // 1. The chain itself: from entry 1 (a cut at the start is reported here), or a slice.
    if (auto broken = AuditChain::verify(entries, slice ? entries.first().prevHash : AuditChain::genesisHash())) {
        v.chainBreak = broken;
        v.trust = AuditTrust::Broken;
        return v;
    }
    const qint64 lastSeq = entries.isEmpty() ? 0 : entries.last().seq;
    const QString lastHash = entries.isEmpty() ? AuditChain::genesisHash() : entries.last().hash;

    // 2. The head: the end of the log and the number of entries.
    bool signatureProved = false;
    if (head) {
        if (head->seq > lastSeq)
            breakAt(v, entries.size(), lastSeq + 1,
                    QStringLiteral("entries %1..%2 were removed from the end (the head records %3 entries)").arg(lastSeq + 1).arg(head->seq).arg(head->count));
        else if (head->seq < lastSeq)
            breakAt(v, qsizetype(head->seq - (slice ? entries.first().seq - 1 : 0)), head->seq + 1,
                    QStringLiteral("entries %1..%2 are not covered by the head (added without moving it)").arg(head->seq + 1).arg(lastSeq));
        else if (head->hash != lastHash)
            breakAt(v, entries.size() - 1, lastSeq, QStringLiteral("entry %1 does not match the head's hash (replaced)").arg(lastSeq));
        else if (head->count != head->seq || (!slice && head->count != entries.size()))
            breakAt(v, 0, entries.isEmpty() ? 0 : entries.first().seq,
                    QStringLiteral("the head records %1 entries but the log holds %2").arg(head->count).arg(entries.size()));
        if (!v.chainBreak) {
            if (keyGiven) {
                if (auto ok = head->verify(options.publicKey); !ok)
                    breakAt(v, entries.size() - 1, lastSeq, ok.error().message);
                else
                    signatureProved = true;
            } else {
                v.warnings << (head->isSigned()
                                   ? QStringLiteral("the head is signed by audit key %1, but no audit public key was given to check it").arg(head->keyId)
                                   : QStringLiteral("the head is not signed (written without an audit key): whoever holds the database key could have "
                                                    "rewritten the log"));
            }
        }
    } else if (requireHead) {
        if (!entries.isEmpty())
            breakAt(v, 0, entries.first().seq, QStringLiteral("the audit head is missing"));
    } else {
        v.warnings << QStringLiteral("no head: an export from before signed heads; entries removed from its end cannot be detected "
                                     "and its chain could have been recomputed by anyone");
    }
    if (slice)
        v.warnings << QStringLiteral("a slice (entries %1..%2): its first entry's link to the ones before it is not checked")
                          .arg(entries.first().seq).arg(lastSeq);

    // 3. Checkpoints kept off the device: the log must still hold each as an unchanged prefix.
    for (const AuditHead &cp : options.checkpoints) {
        if (v.chainBreak)
            break;
        if (keyGiven) {
            if (auto ok = cp.verify(options.publicKey); !ok) {
                breakAt(v, 0, cp.seq, QStringLiteral("checkpoint at entry %1: %2").arg(cp.seq).arg(ok.error().message));
                break;
            }
        }
        const qint64 firstSeq = entries.isEmpty() ? 1 : entries.first().seq;
        if (cp.seq > lastSeq) {
            breakAt(v, entries.size(), lastSeq + 1,
                    QStringLiteral("the checkpoint records %1 entries but the log ends at entry %2: entries %3..%1 were removed")
                        .arg(cp.seq).arg(lastSeq).arg(lastSeq + 1));
            break;
        }
        if (cp.seq == 0)
            continue;
        if (cp.seq < firstSeq) {
            v.warnings << QStringLiteral("checkpoint at entry %1 lies before this slice").arg(cp.seq);
            continue;
        }
        const AuditEntry &at = entries.at(qsizetype(cp.seq - firstSeq));
        if (at.hash != cp.hash || cp.count != cp.seq) {
            breakAt(v, qsizetype(cp.seq - firstSeq), cp.seq,
                    QStringLiteral("entries 1..%1 changed since the checkpoint (entry %1's hash differs from the checkpoint's)").arg(cp.seq));
            break;
        }
        ++v.checkpointsMatched;
    }
    if (!options.checkpoints.isEmpty() && !keyGiven && !v.chainBreak)
        v.warnings << QStringLiteral("the checkpoints' signatures were not checked (no audit public key given)");

    if (!v.chainBreak)
        v.trust = signatureProved && !slice ? AuditTrust::Intact : AuditTrust::ChainOnly;
    return v;
}

core::Result<AuditVerification> verifyAuditExport(const QByteArray &data, const AuditVerifyOptions &options)
{
    auto parsed = AuditChain::parseExportWithHead(data);
    if (!parsed)
        return parsed.error();
    return verifyAuditEntries(parsed->entries, parsed->head, options, false);
}

core::Result<AuditHead> readAuditCheckpointFile(const QString &path)
{
    QFile f(path);
    if (!f.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("checkpoint %1 does not exist").arg(path));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    auto head = AuditHead::fromCheckpointFile(f.read(64 * 1024));
    if (!head)
        return makeError(head.error().code, QStringLiteral("%1: %2").arg(path, head.error().message));
    return head;
}

} // namespace signiq::protocol
