#include "client/ErrorText.h"

namespace signiq::console {

namespace {
QString withDetail(const QString &sentence, const core::Error &error)
{
    if (error.message.isEmpty())
        return sentence;
    return sentence + u'\n' + ErrorText::tr("Details: %1").arg(error.message);
}
} // namespace

QString ErrorText::forDevice(const core::Error &error)
{
    QString sentence;
    switch (error.code) {
    case core::ErrorCode::Io:
        sentence = tr("The device cannot be reached or is busy. Check the address and the network, then try again.");
        break;
    case core::ErrorCode::Corrupt:
        sentence = tr("The device's certificate is not trusted or has changed. The connection was refused for your safety.");
        break;
    case core::ErrorCode::PermissionDenied:
        sentence = tr("The device refused the API key: it is unknown, revoked, or lacks the scope this needs.");
        break;
    case core::ErrorCode::NotFound:
        sentence = tr("The device does not know the requested item.");
        break;
    case core::ErrorCode::InvalidArgument:
        sentence = tr("The device rejected the request.");
        break;
    case core::ErrorCode::Parse:
        sentence = tr("The device sent an answer the console does not understand.");
        break;
    case core::ErrorCode::Unsupported:
        sentence = tr("The device runs an API version this console does not support.");
        break;
    case core::ErrorCode::WrongKey:
    case core::ErrorCode::Internal:
        sentence = tr("The device reported an internal error.");
        break;
    }
    return withDetail(sentence, error);
}

bool ErrorText::isKeyRefused(const core::Error &error)
{
    return error.code == core::ErrorCode::PermissionDenied && error.message.contains(QStringLiteral("(HTTP 401"));
}

QString ErrorText::forFile(const core::Error &error)
{
    QString sentence;
    switch (error.code) {
    case core::ErrorCode::NotFound:
        sentence = tr("The file does not exist.");
        break;
    case core::ErrorCode::PermissionDenied:
        sentence = tr("You are not allowed to read or write this file.");
        break;
    case core::ErrorCode::Parse:
    case core::ErrorCode::InvalidArgument:
        sentence = tr("The file is not in the expected format.");
        break;
    default:
        sentence = tr("The file could not be read or written.");
        break;
    }
    return withDetail(sentence, error);
}

QString ErrorText::forSecrets(const core::Error &error)
{
    QString sentence;
    switch (error.code) {
    case core::ErrorCode::NotFound:
        sentence = tr("No API key is stored for this device.");
        break;
    case core::ErrorCode::PermissionDenied:
        sentence = tr("Access to the keychain was denied.");
        break;
    case core::ErrorCode::WrongKey:
        sentence = tr("The encrypted secrets file cannot be opened with its key.");
        break;
    case core::ErrorCode::Unsupported:
        sentence = tr("No keychain service is running on this desktop. In Settings, choose “Automatic” or “Encrypted "
                      "file” for where API keys are stored, or start a keychain (GNOME Keyring, KWallet).");
        break;
    default:
        sentence = tr("The API key could not be read from or saved to secure storage.");
        break;
    }
    return withDetail(sentence, error);
}

} // namespace signiq::console
