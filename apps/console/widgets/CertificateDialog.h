#pragma once

#include "devices/DevicesViewModel.h"

#include <QDialog>

namespace signiq::console {

// Shows what a device presented on first contact (or after a change) so that the admin can
// compare the fingerprint with the device's own before trusting it.
class CertificateDialog : public QDialog {
    Q_OBJECT

public:
    CertificateDialog(const PendingDevice &pending, QWidget *parent = nullptr);

    QString fingerprintText() const { return m_fingerprint; }

private:
    QString m_fingerprint;
};

} // namespace signiq::console
