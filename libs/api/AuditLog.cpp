#include "api/AuditLog.h"

#include "api/ApiLog.h"
#include "crypto/Signature.h"
#include "storage/AuditRepository.h"
#include "storage/Transaction.h"

#include <QFile>

namespace signiq::api {

using core::ErrorCode;
using core::makeError;

namespace {

AuditEntry fromStored(const storage::StoredAuditEntry &s)
{
    return AuditEntry{s.seq, s.timestampMs, s.actor, s.sourceIp, s.action, s.target, s.result, s.prevHash, s.hash};
}

storage::StoredAuditEntry toStored(const AuditEntry &e)
{
    return storage::StoredAuditEntry{e.seq, e.timestampMs, e.actor, e.sourceIp, e.action, e.target, e.result, e.prevHash, e.hash};
}

QList<AuditEntry> fromStored(const QList<storage::StoredAuditEntry> &rows)
{
    QList<AuditEntry> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.append(fromStored(r));
    return out;
}

AuditHead fromStored(const storage::AuditHead &h)
{
    return AuditHead{h.seq, h.count, h.hash, h.keyId, h.signature};
}

storage::AuditHead toStored(const AuditHead &h)
{
    return storage::AuditHead{h.seq, h.hash, h.count, h.keyId, h.signature};
}

AuditHead emptyHead()
{
    return AuditHead{0, 0, AuditChain::genesisHash(), {}, {}};
}

// The head must describe the newest entry; anything else means rows were changed underneath.
core::Status consistent(const std::optional<storage::StoredAuditEntry> &last, const std::optional<storage::AuditHead> &head)
{
    const qint64 lastSeq = last ? last->seq : 0;
    if (!head) {
        if (last)
            return makeError(ErrorCode::Corrupt, QStringLiteral("the audit log has entries but no head: it was changed outside Signiq "
                                                                "(signiq-edge audit verify)"));
        return {};
    }
    const QString lastHash = last ? last->hash : AuditChain::genesisHash();
    if (head->seq != lastSeq || head->hash != lastHash || head->count != lastSeq)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("the audit log (newest entry %1) does not match its head (entry %2, %3 entries): it was changed "
                                        "outside Signiq (signiq-edge audit verify)").arg(lastSeq).arg(head->seq).arg(head->count));
    return {};
}

// What an append may do given the current head and the key (AuditLog's rules).
core::Status mayAppend(const std::optional<storage::StoredAuditEntry> &last, const std::optional<storage::AuditHead> &head,
                       const crypto::Ed25519SigningKey *signer, bool adopting)
{
    if (auto ok = consistent(last, head); !ok)
        return ok;
    const bool signedBefore = head && !head->signature.isEmpty();
    if (!signer) {
        if (signedBefore)
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("the audit log is signed with audit key %1: entries can only be added with that key "
                                            "(--audit-key-file)").arg(head->keyId));
        return {};
    }
    if (adopting)
        return {};
    if (signedBefore) {
        if (auto ok = fromStored(*head).verify(signer->publicKey()); !ok)
            return makeError(ErrorCode::Corrupt, ok.error().message
                                 + QStringLiteral(" — nothing is signed over it (signiq-edge audit verify; a log signed with another "
                                                  "key is taken over with signiq-edge audit adopt)"));
        return {};
    }
    if (last)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("the audit log has %1 entries without a signed head (written before the audit key was given, or "
                                        "its signature was removed): check it against an export or checkpoint kept off the device, then "
                                        "sign it from now on with: signiq-edge audit adopt").arg(last->seq));
    return {};
}

} // namespace

AuditLog::AuditLog(const storage::EncryptedDatabase &database, const core::Clock &clock, const crypto::Ed25519SigningKey *signer,
                   AuditLogOptions options)
    : m_database(database), m_clock(clock), m_signer(signer), m_options(options)
{
}

core::Result<AuditEntry> AuditLog::record(const AuditEvent &event)
{
    return append(event, false);
}

core::Result<AuditEntry> AuditLog::append(const AuditEvent &event, bool adopting)
{
    storage::StoredAuditEntry draft;
    draft.timestampMs = m_clock.nowMs();
    const auto capped = [](const QString &field, int max) {
        return field.size() <= max ? field : field.left(max - 1) + QChar(0x2026);
    };
    draft.actor = capped(event.actor, AuditEvent::MaxShortField);
    draft.sourceIp = capped(event.sourceIp, AuditEvent::MaxShortField);
    draft.action = capped(event.action, AuditEvent::MaxShortField);
    draft.target = capped(event.target, AuditEvent::MaxTarget);
    draft.result = capped(event.result, AuditEvent::MaxResult);
    auto transaction = storage::Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    storage::AuditRepository repo(m_database);
    const crypto::Ed25519SigningKey *signer = m_signer;
    auto stored = repo.append(
        draft,
        [](const storage::StoredAuditEntry &d, const std::optional<storage::StoredAuditEntry> &last) {
            const AuditEntry previous = last ? fromStored(*last) : AuditEntry{};
            return toStored(AuditChain::link(fromStored(d), last ? &previous : nullptr));
        },
        [signer, adopting](const storage::StoredAuditEntry &entry, const std::optional<storage::StoredAuditEntry> &last,
                           const std::optional<storage::AuditHead> &head) -> core::Result<storage::AuditHead> {
            if (auto ok = mayAppend(last, head, signer, adopting); !ok)
                return ok.error();
            AuditHead next{entry.seq, entry.seq, entry.hash, {}, {}};
            if (signer) {
                if (auto signed_ = next.sign(*signer); !signed_)
                    return signed_.error();
            }
            return toStored(next);
        });
    if (!stored)
        return stored.error();
    if (m_signer && m_options.checkpointEvery > 0 && stored->seq % m_options.checkpointEvery == 0) {
        auto head = repo.head();
        if (!head)
            return head.error();
        if (auto added = repo.addCheckpoint(storage::StoredAuditCheckpoint{**head, draft.timestampMs}); !added)
            return added.error();
    }
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return fromStored(*stored);
}

core::Result<AuditEntry> AuditLog::transact(const std::function<core::Result<AuditEvent>()> &operation)
{
    auto transaction = storage::Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    auto event = operation();
    if (!event)
        return event.error(); // rolled back: the operation changed nothing
    auto recorded = record(*event);
    if (!recorded) {
        transaction->rollback();
        qCWarning(lcApi) << "audit entry" << event->action << event->target << "not written, operation undone:" << recorded.error().toString();
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the audit entry for %1 cannot be written, so nothing was changed: %2")
                             .arg(event->action, recorded.error().message));
    }
    if (auto committed = transaction->commit(); !committed)
        return makeError(ErrorCode::Internal, QStringLiteral("%1 was not stored (nothing was changed): %2").arg(event->action, committed.error().message));
    return recorded;
}

core::Result<AuditHead> AuditLog::checkpoint(const AuditEvent &event)
{
    if (!m_signer)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a checkpoint needs the audit key (--audit-key-file)"));
    auto transaction = storage::Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    auto recorded = record(event);
    if (!recorded)
        return recorded.error();
    storage::AuditRepository repo(m_database);
    auto head = repo.head();
    if (!head)
        return head.error();
    if (!head->has_value())
        return makeError(ErrorCode::Internal, QStringLiteral("the audit head is missing after an append"));
    if (auto added = repo.addCheckpoint(storage::StoredAuditCheckpoint{**head, recorded->timestampMs}); !added)
        return added.error();
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return fromStored(**head);
}

core::Result<AuditEntry> AuditLog::adopt(const AuditEvent &event)
{
    if (!m_signer)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("adopting the audit log needs the audit key (--audit-key-file)"));
    auto transaction = storage::Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    auto checked = verifyAuditLog(m_database, AuditVerifyOptions{m_signer->publicKey(), {}, false});
    if (!checked)
        return checked.error();
    QString found;
    if (checked->entries == 0)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the audit log is empty: its entries are signed from the first one on"));
    if (checked->intact())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the audit log is already signed with this audit key (%1); nothing to adopt").arg(checked->head->keyId));
    if (checked->chainBreak) {
        // Only a head that is unsigned or signed by another key may be taken over; a broken chain never.
        const bool chainOk = checked->head && !AuditChain::verify(*all()).has_value()
            && checked->head->seq == checked->entries && checked->head->hash == checked->headHash;
        if (!chainOk)
            return makeError(ErrorCode::Corrupt, QStringLiteral("the audit log cannot be adopted: ") + checked->chainBreak->reason);
        found = checked->head->isSigned() ? QStringLiteral("head signed by key %1, not this one").arg(checked->head->keyId)
                                          : QStringLiteral("unsigned head");
    } else {
        found = QStringLiteral("unsigned head");
    }
    AuditEvent e = event;
    e.result = e.result + QStringLiteral(": %1 entries adopted (%2), audit key %3")
                              .arg(checked->entries).arg(found, AuditHead::keyIdOf(m_signer->publicKey()));
    auto recorded = append(e, true);
    if (!recorded)
        return recorded.error();
    if (auto committed = transaction->commit(); !committed)
        return committed.error();
    return recorded;
}

core::Status AuditLog::checkWritable() const
{
    storage::AuditRepository repo(m_database);
    auto last = repo.newest();
    if (!last)
        return last.error();
    auto head = repo.head();
    if (!head)
        return head.error();
    return mayAppend(*last, *head, m_signer, false);
}

core::Result<QList<AuditEntry>> AuditLog::entries(qint64 fromMs, qint64 toMs, qint64 afterSeq, int limit) const
{
    auto rows = storage::AuditRepository(m_database).range(fromMs, toMs, afterSeq, limit);
    if (!rows)
        return rows.error();
    return fromStored(*rows);
}

core::Result<QList<AuditEntry>> AuditLog::all() const
{
    auto rows = storage::AuditRepository(m_database).all();
    if (!rows)
        return rows.error();
    return fromStored(*rows);
}

core::Result<AuditSnapshot> AuditLog::snapshot() const
{
    // One transaction: the head and the entries belong together even while others append.
    auto transaction = storage::Transaction::begin(m_database);
    if (!transaction)
        return transaction.error();
    storage::AuditRepository repo(m_database);
    auto rows = repo.all();
    if (!rows)
        return rows.error();
    auto head = repo.head();
    if (!head)
        return head.error();
    transaction->rollback(); // read only
    return AuditSnapshot{fromStored(*rows), head->has_value() ? fromStored(**head) : emptyHead()};
}

core::Result<QList<AuditHead>> AuditLog::storedCheckpoints() const
{
    auto rows = storage::AuditRepository(m_database).checkpoints();
    if (!rows)
        return rows.error();
    QList<AuditHead> out;
    for (const auto &c : *rows)
        out.append(fromStored(c.head));
    return out;
}

core::Result<AuditVerification> verifyAuditLog(const storage::EncryptedDatabase &database, const AuditVerifyOptions &options)
{
    storage::AuditRepository repo(database);
    auto rows = repo.all();
    if (!rows)
        return rows.error();
    auto head = repo.head();
    if (!head)
        return head.error();
    auto stored = repo.checkpoints();
    if (!stored)
        return stored.error();
    AuditVerifyOptions withStored = options;
    withStored.acceptSlice = false;
    for (const auto &c : *stored)
        withStored.checkpoints.append(fromStored(c.head));
    std::optional<AuditHead> h;
    if (head->has_value())
        h = fromStored(**head);
    return protocol::verifyAuditEntries(fromStored(*rows), h, withStored, true);
}

core::Result<AuditVerification> verifyAuditExportFile(const QString &path, const AuditVerifyOptions &options)
{
    QFile f(path);
    if (!f.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("audit export %1 does not exist").arg(path));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    auto v = protocol::verifyAuditExport(f.readAll(), options);
    if (!v)
        return makeError(v.error().code, QStringLiteral("%1: %2").arg(path, v.error().message));
    return v;
}

} // namespace signiq::api
