#include "CertificateDialog.h"
#include "DevicesPage.h"
#include "client/DemoData.h"
#include "client/FakeDeviceConnector.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/InMemorySecretStore.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

class TestDevicesPage : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    QTemporaryDir m_dir;

private slots:
    void addDeviceAcceptingItsCertificate()
    {
        DeviceRegistry registry(m_dir.filePath(QStringLiteral("devices.json")));
        FakeDeviceConnector connector(m_clock);
        const DeviceAddress address{QStringLiteral("player.local"), 8443};
        const auto identity = DemoData::identity(address.host, m_clock);
        QVERIFY(identity.ok());
        connector.setIdentity(address, identity.value());
        InMemorySecretStore secrets;
        CertificateTrust trust(m_clock);
        DeviceSession session;
        DevicesViewModel model(registry, connector, secrets, trust, session, m_clock);
        DevicesPage page(model, secrets);
        page.show();

        page.nameEdit()->setText(QStringLiteral("Lobby"));
        page.addressEdit()->setText(QStringLiteral("player.local:8443"));
        page.keyEdit()->setText(protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token);
        QCOMPARE(page.keyEdit()->echoMode(), QLineEdit::Password);
        page.addButton()->click();

        CertificateDialog *dialog = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (dialog = page.findChild<CertificateDialog *>()) && dialog->isVisible(); }));
        const QString expected = CertificateTrust::formatFingerprint(CertificateTrust::fingerprint(identity->chain.first()));
        QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("fingerprint"))->text(), expected);
        QSignalSpy added(&model, &DevicesViewModel::deviceAdded);
        dialog->findChild<QPushButton *>(QStringLiteral("trust"))->click();
        QVERIFY(added.count() == 1 || added.wait());
        QCOMPARE(page.table()->model()->rowCount(), 1);
        QTRY_VERIFY(session.client() != nullptr);
        QTRY_COMPARE(page.table()->model()->index(0, DeviceTableModel::Status).data().toString(), QStringLiteral("reachable"));
        QCOMPARE(page.table()->model()->index(0, DeviceTableModel::Tls).data().toString(), QStringLiteral("TLS 1.3"));
        QVERIFY(page.keyEdit()->text().isEmpty()); // the key does not linger in the form
        session.clear();
    }

    void unreachableDeviceShowsAMessage()
    {
        DeviceRegistry registry(m_dir.filePath(QStringLiteral("devices2.json")));
        FakeDeviceConnector connector(m_clock);
        InMemorySecretStore secrets;
        CertificateTrust trust(m_clock);
        DeviceSession session;
        DevicesViewModel model(registry, connector, secrets, trust, session, m_clock);
        DevicesPage page(model, secrets);
        page.show();
        page.nameEdit()->setText(QStringLiteral("Ghost"));
        page.addressEdit()->setText(QStringLiteral("10.1.2.3"));
        page.keyEdit()->setText(protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token);
        QSignalSpy failed(&model, &DevicesViewModel::failed);
        page.addButton()->click();
        QVERIFY(failed.wait());
        QVERIFY(page.statusText().contains(QStringLiteral("cannot be reached")));
        QVERIFY(page.addButton()->isEnabled());
    }
};

QTEST_MAIN(TestDevicesPage)
#include "TestDevicesPage.moc"
