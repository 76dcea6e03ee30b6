#pragma once

#include "client/DeviceTypes.h"
#include "core/Clock.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace signiq::console {

class ApiKeysViewModel;

// IT admins: list, create, rotate and revoke the device's API keys.
class ApiKeysPage : public QWidget {
    Q_OBJECT

public:
    ApiKeysPage(ApiKeysViewModel &model, const core::Clock &clock, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QString statusText() const;

public slots:
    void openCreateDialog();
    void openRotateDialog();
    void showRotateDialog(const QString &keyId);
    void confirmRevoke();

private:
    QString selectedKeyId() const;
    void showSecret(const IssuedKey &key, bool rotated);

    ApiKeysViewModel &m_model;
    const core::Clock &m_clock;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    int m_lastOverlapDays = 0;
};

} // namespace signiq::console
