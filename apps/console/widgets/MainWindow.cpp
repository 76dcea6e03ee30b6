#include "MainWindow.h"

#include "devices/DeviceSession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>

namespace signiq::console {

MainWindow::MainWindow(DeviceSession &session, QWidget *parent) : QMainWindow(parent), m_session(session)
{
    setWindowTitle(tr("Signiq Console"));
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    m_navigation = new QListWidget(central);
    m_navigation->setFixedWidth(190);
    m_navigation->setSpacing(2);
    m_pages = new QStackedWidget(central);
    layout->addWidget(m_navigation);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_device = new QLabel(this);
    statusBar()->addPermanentWidget(m_device);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(&m_session, &DeviceSession::clientChanged, this, &MainWindow::updateDevice);
    updateDevice();
}

void MainWindow::addPage(const QString &key, const QString &title, QWidget *page)
{
    m_keys.append(key);
    m_navigation->addItem(title);
    m_pages->addWidget(page);
    if (m_navigation->currentRow() < 0)
        m_navigation->setCurrentRow(0);
}

int MainWindow::pageCount() const
{
    return m_pages->count();
}

QWidget *MainWindow::page(int index) const
{
    return m_pages->widget(index);
}

void MainWindow::showPage(int index)
{
    m_navigation->setCurrentRow(index);
}

void MainWindow::showPage(const QString &key)
{
    showPage(int(m_keys.indexOf(key)));
}

void MainWindow::updateDevice()
{
    if (!m_session.client()) {
        m_device->setText(tr("No device selected"));
        m_device->setStyleSheet(QString());
    } else if (m_session.isDemo()) {
        m_device->setText(tr("Device: %1 — DEMO DATA, not measured").arg(m_session.deviceName()));
        m_device->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #664d03; padding: 2px 6px; }"));
    } else {
        m_device->setText(tr("Device: %1").arg(m_session.deviceName()));
        m_device->setStyleSheet(QString());
    }
}

} // namespace signiq::console
