#include "audit/AuditViewModel.h"

#include "audit/AuditPublicKey.h"
#include "crypto/SecureFile.h"
#include "client/DeviceClient.h"
#include "client/ErrorText.h"
#include "devices/AuditKeyPins.h"
#include "devices/DeviceSession.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace signiq::console {

namespace {
// The export is written like the command line's (signiq-edge audit export): owner-only, 0600.
core::Status writeFileAtomically(const QString &path, const QByteArray &data)
{
    return crypto::securefile::writeFile(path, data, 0600, crypto::securefile::Replace::Atomically);
}
} // namespace

AuditViewModel::AuditViewModel(DeviceSession &session, AuditKeyPins *pins, QObject *parent)
    : QObject(parent), m_session(session), m_pins(pins)
{
    connect(&m_session, &DeviceSession::clientChanged, this, [this] {
        ++m_generation;
        setBusy(false);
        m_entries.setEntries({});
        usePinnedKey();
    });
    if (m_pins) {
        connect(m_pins, &AuditKeyPins::pinChanged, this, [this](const QString &deviceId) {
            if (deviceId == m_session.deviceId())
                usePinnedKey();
        });
        usePinnedKey();
    }
}

void AuditViewModel::usePinnedKey()
{
    if (m_pins)
        setAuditPublicKey(m_pins->pinnedKey(m_session.deviceId()));
    else
        emit auditKeyChanged(auditKeyId()); // the device changed: pinning may have become (un)available
}

void AuditViewModel::setAuditPublicKey(const QByteArray &publicKey)
{
    m_auditPublicKey = publicKey;
    emit auditKeyChanged(auditKeyId());
}

QString AuditViewModel::auditKeyId() const
{
    return console::auditKeyId(m_auditPublicKey);
}

bool AuditViewModel::canPinAuditKey() const
{
    return m_pins && !m_session.deviceId().isEmpty();
}

QString AuditViewModel::deviceName() const
{
    return m_session.deviceName();
}

bool AuditViewModel::pinReplacesAnotherKey(const QByteArray &publicKey) const
{
    return canPinAuditKey() && m_pins->wouldReplace(m_session.deviceId(), publicKey);
}

core::Status AuditViewModel::pinAuditKey(const QByteArray &publicKey)
{
    core::Status pinned = canPinAuditKey() ? m_pins->pin(m_session.deviceId(), publicKey)
                                           : core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("no registered device is selected"));
    if (!pinned)
        emit failed(tr("The audit key was not pinned.") + u'\n' + pinned.error().message);
    return pinned;
}

core::Status AuditViewModel::clearAuditKey()
{
    core::Status cleared = canPinAuditKey() ? m_pins->clear(m_session.deviceId())
                                            : core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("no registered device is selected"));
    if (!cleared)
        emit failed(tr("The pinned audit key was not cleared.") + u'\n' + cleared.error().message);
    return cleared;
}

void AuditViewModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

void AuditViewModel::refresh()
{
    DeviceClient *client = m_session.client();
    if (!client) {
        emit failed(tr("No device is selected. Add or select a device on the Devices page."));
        return;
    }
    const quint64 generation = ++m_generation;
    setBusy(true);
    client->audit(m_query).then(this, [this, generation](core::Result<QList<protocol::AuditEntry>> entries) {
        if (generation != m_generation)
            return;
        setBusy(false);
        if (!entries) {
            emit failed(ErrorText::forDevice(entries.error()));
            return;
        }
        m_entries.setEntries(entries.value());
        emit loaded(int(entries->size()));
    });
}

void AuditViewModel::exportTo(const QString &path, AuditExportFormat format)
{
    DeviceClient *client = m_session.client();
    if (!client) {
        emit failed(tr("No device is selected. Add or select a device on the Devices page."));
        return;
    }
    const quint64 generation = m_generation;
    setBusy(true);
    client->exportAudit(m_query, format).then(this, [this, generation, path](core::Result<QByteArray> data) {
        if (generation != m_generation)
            return;
        if (!data) {
            setBusy(false);
            emit failed(ErrorText::forDevice(data.error()));
            return;
        }
        const QByteArray bytes = data.value();
        auto *watcher = new QFutureWatcher<core::Status>(this);
        connect(watcher, &QFutureWatcher<core::Status>::finished, this, [this, watcher, path, size = int(bytes.size())] {
            watcher->deleteLater();
            setBusy(false);
            const core::Status written = watcher->result();
            if (!written)
                emit failed(ErrorText::forFile(written.error()));
            else
                emit exported(path, size);
        });
        watcher->setFuture(QtConcurrent::run(writeFileAtomically, path, bytes));
    });
}

void AuditViewModel::verifyFile(const QString &path)
{
    setBusy(true);
    auto *watcher = new QFutureWatcher<core::Result<AuditVerification>>(this);
    const QByteArray key = m_auditPublicKey;
    connect(watcher, &QFutureWatcher<core::Result<AuditVerification>>::finished, this, [this, watcher, key] {
        watcher->deleteLater();
        setBusy(false);
        const core::Result<AuditVerification> result = watcher->result();
        if (!result) {
            m_verified.setEntries({});
            emit failed(ErrorText::forFile(result.error()));
            return;
        }
        std::optional<qint64> breakIndex;
        if (result->chainBreak)
            breakIndex = result->chainBreak->index;
        m_verified.setEntries(result->entries, breakIndex);
        emit verified(summarise(result.value(), key), result->isIntact());
    });
    watcher->setFuture(QtConcurrent::run([path, key] { return verifyAuditExportFile(path, key); }));
}

QString AuditViewModel::summarise(const AuditVerification &v, const QByteArray &publicKey)
{
    // Which key the verdict rests on, or how to get one.
    const QString keyId = console::auditKeyId(publicKey);
    QString keyLine;
    if (keyId.isEmpty())
        keyLine = tr("No audit key is pinned for this device, so no head signature was checked. Pin the key that "
                     "“signiq-edge audit public-key” prints on the device (Pin audit key…) to prove its exports intact.");
    else if (!v.head)
        keyLine = tr("The file has no signed head, so the pinned audit key %1 cannot prove it intact.").arg(keyId);
    else if (v.head->isSigned() && v.head->keyId != keyId)
        keyLine = tr("The file's head is signed by audit key %1, but the key pinned for this device is %2: the file comes from "
                     "another device, or the device's audit key was changed (signiq-edge audit adopt). Compare both key IDs "
                     "with the device before pinning another key.")
                      .arg(v.head->keyId, keyId);
    else
        keyLine = tr("Checked with the audit key pinned for this device: %1.").arg(keyId);

    const qint64 firstSeq = v.entries.constFirst().seq;
    const qint64 lastSeq = v.entries.constLast().seq;
    if (v.chainBreak) {
        return tr("The chain is BROKEN at entry %1 (row %2): %3. Entries from there on cannot be trusted.")
                   .arg(v.chainBreak->seq)
                   .arg(v.chainBreak->index + 1)
                   .arg(v.chainBreak->reason) +
               u'\n' + keyLine;
    }
    if (v.isIntact())
        return tr("The log is intact: %n entries, from the first entry to entry %1, ending at the head signed by audit key %2.",
                  nullptr, int(v.entries.size()))
                   .arg(lastSeq)
                   .arg(v.head ? v.head->keyId : QString()) +
               u'\n' + keyLine;
    QString text;
    if (v.startsAtGenesis)
        text = tr("The chain is consistent (%n entries, up to entry %1), but the log is NOT proved intact: its head signature was not "
                  "checked.", nullptr, int(v.entries.size()))
                   .arg(lastSeq);
    else
        text = tr("The chain is consistent from entry %1 to entry %2 (%n entries), but the log is NOT proved intact: the file starts "
                  "in the middle of the log and its head signature was not checked.",
                  nullptr, int(v.entries.size()))
                   .arg(firstSeq)
                   .arg(lastSeq);
    for (const QString &w : v.warnings)
        text += QLatin1Char('\n') + w;
    return text + u'\n' + keyLine;
}

} // namespace signiq::console
