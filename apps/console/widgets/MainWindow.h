#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace signiq::console {

class DeviceSession;

// Navigation and a status bar; each feature is its own page (no logic here).
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(DeviceSession &session, QWidget *parent = nullptr);

    // `key` names the page in screenshots (docs/images/console-<key>.png).
    void addPage(const QString &key, const QString &title, QWidget *page);
    int pageCount() const;
    QWidget *page(int index) const;
    QString pageKey(int index) const { return m_keys.value(index); }
    void showPage(int index);
    void showPage(const QString &key);

private:
    void updateDevice();

    DeviceSession &m_session;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_device = nullptr;
    QStringList m_keys;
};

} // namespace signiq::console
