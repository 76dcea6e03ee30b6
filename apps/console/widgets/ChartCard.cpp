#include "ChartCard.h"

#include "client/ErrorText.h"
#include "crypto/SecureFile.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QBuffer>
#include <QVBoxLayout>

namespace signiq::console {

ChartCard::ChartCard(const QString &title, const QString &fileStem, QWidget *content, std::function<ChartTable()> table,
                     QWidget *parent)
    : QFrame(parent), m_title(title), m_fileStem(fileStem), m_content(content), m_table(std::move(table))
{
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    auto *csv = new QPushButton(tr("Export CSV…"), this);
    auto *png = new QPushButton(tr("Export PNG…"), this);
    csv->setObjectName(QStringLiteral("exportCsv"));
    png->setObjectName(QStringLiteral("exportPng"));
    header->addWidget(label, 1);
    header->addWidget(csv);
    header->addWidget(png);
    layout->addLayout(header);
    content->setParent(this);
    content->setMinimumHeight(220);
    layout->addWidget(content, 1);
    connect(csv, &QPushButton::clicked, this, &ChartCard::chooseCsv);
    connect(png, &QPushButton::clicked, this, &ChartCard::choosePng);
}

// Exports are audience data: owner-only (0600) like the command line's, written crash-safely.
core::Status ChartCard::exportCsv(const QString &path) const
{
    return crypto::securefile::writeFile(path, m_table().toCsv(), 0600, crypto::securefile::Replace::Atomically);
}

core::Status ChartCard::exportPng(const QString &path) const
{
    QByteArray png;
    QBuffer buffer(&png);
    if (!buffer.open(QIODevice::WriteOnly) || !m_content->grab().save(&buffer, "PNG"))
        return core::makeError(core::ErrorCode::Internal, QStringLiteral("%1: the chart could not be encoded as PNG").arg(path));
    return crypto::securefile::writeFile(path, png, 0600, crypto::securefile::Replace::Atomically);
}

void ChartCard::chooseCsv()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export “%1” as CSV").arg(m_title), m_fileStem + QStringLiteral(".csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (const core::Status s = exportCsv(path); !s)
        emit exportFailed(ErrorText::forFile(s.error()));
    else
        emit exported(path);
}

void ChartCard::choosePng()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export “%1” as PNG").arg(m_title), m_fileStem + QStringLiteral(".png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (const core::Status s = exportPng(path); !s)
        emit exportFailed(ErrorText::forFile(s.error()));
    else
        emit exported(path);
}

} // namespace signiq::console
