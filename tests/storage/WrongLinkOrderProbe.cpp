// Test helper, deliberately linked with the system libsqlite3 BEFORE libsqlcipher: the
// self-check and EncryptedDatabase::open must refuse to run (exit code 3) instead of writing
// an unencrypted database.
#include "storage/EncryptedDatabase.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace signiq;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const auto version = storage::EncryptedDatabase::selfCheck();
    if (version.ok()) {
        out << "self-check passed unexpectedly: SQLCipher " << *version << '\n';
        return 0;
    }
    out << version.error().toString() << '\n';
    if (app.arguments().size() > 1) {
        auto db = storage::EncryptedDatabase::open(app.arguments().at(1), QByteArray(32, 'k'), QStringLiteral("probe"));
        if (db.ok()) {
            out << "open succeeded unexpectedly\n";
            return 1;
        }
        out << db.error().toString() << '\n';
    }
    return 3;
}
