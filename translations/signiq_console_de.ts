<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ConsoleApplication</name>
    <message>
        <source>Lobby player (demo)</source>
        <translation>Lobby-Player (Demo)</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Zones &amp; calibration</source>
        <translation>Zonen &amp; Kalibrierung</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Settings reset</source>
        <translation>Einstellungen zurückgesetzt</translation>
    </message>
    <message>
        <source>Invalid settings were reset to their defaults: %1</source>
        <translation>Ungültige Einstellungen wurden auf ihre Standardwerte zurückgesetzt: %1</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Details: %1</source>
        <translation>Details: %1</translation>
    </message>
    <message>
        <source>The device cannot be reached or is busy. Check the address and the network, then try again.</source>
        <translation>Das Gerät ist nicht erreichbar oder ausgelastet. Prüfen Sie Adresse und Netzwerk und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The device&apos;s certificate is not trusted or has changed. The connection was refused for your safety.</source>
        <translation>Dem Zertifikat des Geräts wird nicht vertraut oder es hat sich geändert. Die Verbindung wurde zu Ihrer Sicherheit abgelehnt.</translation>
    </message>
    <message>
        <source>The device refused the API key: it is unknown, revoked, or lacks the scope this needs.</source>
        <translation>Das Gerät hat den API-Schlüssel abgelehnt: Er ist unbekannt, widerrufen oder hat nicht die nötige Berechtigung.</translation>
    </message>
    <message>
        <source>The device does not know the requested item.</source>
        <translation>Das Gerät kennt das angeforderte Element nicht.</translation>
    </message>
    <message>
        <source>The device rejected the request.</source>
        <translation>Das Gerät hat die Anfrage abgelehnt.</translation>
    </message>
    <message>
        <source>The device sent an answer the console does not understand.</source>
        <translation>Das Gerät hat eine Antwort gesendet, die die Konsole nicht versteht.</translation>
    </message>
    <message>
        <source>The device runs an API version this console does not support.</source>
        <translation>Das Gerät verwendet eine API-Version, die diese Konsole nicht unterstützt.</translation>
    </message>
    <message>
        <source>The device reported an internal error.</source>
        <translation>Das Gerät hat einen internen Fehler gemeldet.</translation>
    </message>
    <message>
        <source>The file does not exist.</source>
        <translation>Die Datei existiert nicht.</translation>
    </message>
    <message>
        <source>You are not allowed to read or write this file.</source>
        <translation>Sie dürfen diese Datei nicht lesen oder schreiben.</translation>
    </message>
    <message>
        <source>The file is not in the expected format.</source>
        <translation>Die Datei hat nicht das erwartete Format.</translation>
    </message>
    <message>
        <source>The file could not be read or written.</source>
        <translation>Die Datei konnte nicht gelesen oder geschrieben werden.</translation>
    </message>
    <message>
        <source>No API key is stored for this device.</source>
        <translation>Für dieses Gerät ist kein API-Schlüssel gespeichert.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>Der Zugriff auf den Schlüsselbund wurde verweigert.</translation>
    </message>
    <message>
        <source>The encrypted secrets file cannot be opened with its key.</source>
        <translation>Die verschlüsselte Geheimnisdatei lässt sich mit ihrem Schlüssel nicht öffnen.</translation>
    </message>
    <message>
        <source>The API key could not be read from or saved to secure storage.</source>
        <translation>Der API-Schlüssel konnte nicht aus dem sicheren Speicher gelesen oder dort gespeichert werden.</translation>
    </message>
    <message>
        <source>No keychain service is running on this desktop. In Settings, choose “Automatic” or “Encrypted file” for where API keys are stored, or start a keychain (GNOME Keyring, KWallet).</source>
        <translation>Auf diesem Desktop läuft kein Schlüsselbunddienst. Wählen Sie in den Einstellungen „Automatisch“ oder „Verschlüsselte Datei“ als Speicherort der API-Schlüssel, oder starten Sie einen Schlüsselbund (GNOME Keyring, KWallet).</translation>
    </message>
</context>
<context>
    <name>InMemorySecretStore</name>
    <message>
        <source>memory only (demo)</source>
        <translation>nur im Arbeitsspeicher (Demo)</translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeyTableModel</name>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>rotating (old secret valid until %1)</source>
        <translation>wird rotiert (altes Geheimnis gültig bis %1)</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>Pro</source>
        <translation>Pro</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>no expiry</source>
        <translation>kein Ablauf</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt verwendet</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeysPage</name>
    <message>
        <source>New key…</source>
        <translation>Neuer Schlüssel…</translation>
    </message>
    <message>
        <source>Rotate…</source>
        <translation>Rotieren…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Widerrufen…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Key %1 was revoked; it stopped working immediately.</source>
        <translation>Schlüssel %1 wurde widerrufen und funktioniert ab sofort nicht mehr.</translation>
    </message>
    <message>
        <source>Select a key first.</source>
        <translation>Wählen Sie zuerst einen Schlüssel aus.</translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation>API-Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Revoke key %1? Every integration using it stops working immediately. This cannot be undone.</source>
        <translation>Schlüssel %1 widerrufen? Jede Integration, die ihn nutzt, funktioniert sofort nicht mehr. Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Key %1 was rotated.</source>
        <translation>Schlüssel %1 wurde rotiert.</translation>
    </message>
    <message>
        <source>Key %1 was created.</source>
        <translation>Schlüssel %1 wurde erstellt.</translation>
    </message>
    <message>
        <source>Rotate the console&apos;s own key</source>
        <translation>Eigenen Schlüssel der Konsole rotieren</translation>
    </message>
    <message>
        <source>Key %1 is the key this console uses for this device. After the rotation the console keeps the new secret in its secret store and uses it at once; other programs that use this key need the new secret too.</source>
        <translation>Schlüssel %1 ist der Schlüssel, den diese Konsole für dieses Gerät verwendet. Nach der Rotation speichert die Konsole das neue Geheimnis in ihrem Geheimnisspeicher und verwendet es sofort; andere Programme, die diesen Schlüssel nutzen, brauchen das neue Geheimnis ebenfalls.</translation>
    </message>
    <message>
        <source>Continue…</source>
        <translation>Weiter…</translation>
    </message>
    <message>
        <source>This is the key this console uses for this device: the device will refuse the console until you enter another key (Devices → Change key…).</source>
        <translation>Das ist der Schlüssel, den diese Konsole für dieses Gerät verwendet: Das Gerät weist die Konsole ab, bis Sie einen anderen Schlüssel eingeben (Geräte → Schlüssel ändern…).</translation>
    </message>
    <message>
        <source>Key %1 was rotated. This console uses the new secret from now on and keeps it in its secret store.</source>
        <translation>Schlüssel %1 wurde rotiert. Diese Konsole verwendet ab jetzt das neue Geheimnis und bewahrt es in ihrem Geheimnisspeicher auf.</translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeysViewModel</name>
    <message>
        <source>Choose at least one scope.</source>
        <translation>Wählen Sie mindestens eine Berechtigung.</translation>
    </message>
    <message>
        <source>The label is longer than %1 characters.</source>
        <translation>Die Bezeichnung ist länger als %1 Zeichen.</translation>
    </message>
    <message>
        <source>The expiry date must be in the future.</source>
        <translation>Das Ablaufdatum muss in der Zukunft liegen.</translation>
    </message>
    <message>
        <source>The overlap must be between 0 and %1 days.</source>
        <translation>Die Überlappung muss zwischen 0 und %1 Tagen liegen.</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Kein Gerät ausgewählt. Fügen Sie auf der Seite „Geräte“ ein Gerät hinzu oder wählen Sie eines aus.</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditKeyDialog</name>
    <message>
        <source>Pin audit key</source>
        <translation>Audit-Schlüssel hinterlegen</translation>
    </message>
    <message>
        <source>On “%1”, run “signiq-edge audit public-key --audit-key-file …” and paste the 64 hex characters it prints, or load the file it writes with --out. Exports of this device are then checked against this key only; compare the key ID below with the one the device reports.</source>
        <translation>Führen Sie auf „%1“ „signiq-edge audit public-key --audit-key-file …“ aus und fügen Sie die ausgegebenen 64 Hex-Zeichen ein, oder laden Sie die Datei, die es mit --out schreibt. Exporte dieses Geräts werden dann nur gegen diesen Schlüssel geprüft; vergleichen Sie die Schlüssel-ID unten mit der, die das Gerät angibt.</translation>
    </message>
    <message>
        <source>No audit key is pinned for this device yet.</source>
        <translation>Für dieses Gerät ist noch kein Audit-Schlüssel hinterlegt.</translation>
    </message>
    <message>
        <source>Pinned now: audit key %1. A different key replaces it.</source>
        <translation>Derzeit hinterlegt: Audit-Schlüssel %1. Ein anderer Schlüssel ersetzt ihn.</translation>
    </message>
    <message>
        <source>64 hex characters</source>
        <translation>64 Hex-Zeichen</translation>
    </message>
    <message>
        <source>Load from file…</source>
        <translation>Aus Datei laden…</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>Hinterlegen</translation>
    </message>
    <message>
        <source>Paste the key or load its file.</source>
        <translation>Fügen Sie den Schlüssel ein oder laden Sie seine Datei.</translation>
    </message>
    <message>
        <source>This is not an audit public key.</source>
        <translation>Das ist kein öffentlicher Audit-Schlüssel.</translation>
    </message>
    <message>
        <source>Key ID: %1</source>
        <translation>Schlüssel-ID: %1</translation>
    </message>
    <message>
        <source>Load audit public key</source>
        <translation>Öffentlichen Audit-Schlüssel laden</translation>
    </message>
    <message>
        <source>Audit public keys (*.pub);;All files (*)</source>
        <translation>Öffentliche Audit-Schlüssel (*.pub);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditPage</name>
    <message>
        <source>Pin audit key…</source>
        <translation>Audit-Schlüssel hinterlegen…</translation>
    </message>
    <message>
        <source>Clear pin…</source>
        <translation>Hinterlegung entfernen…</translation>
    </message>
    <message>
        <source>Audit key used for verification: %1 (key ID %2).</source>
        <translation>Audit-Schlüssel für die Prüfung: %1 (Schlüssel-ID %2).</translation>
    </message>
    <message>
        <source>No audit key is pinned for this device: files can be checked as a chain, but not proved intact. Pin the key that “signiq-edge audit public-key” prints on the device.</source>
        <translation>Für dieses Gerät ist kein Audit-Schlüssel hinterlegt: Dateien können als Kette geprüft, aber nicht als intakt belegt werden. Hinterlegen Sie den Schlüssel, den „signiq-edge audit public-key“ auf dem Gerät ausgibt.</translation>
    </message>
    <message>
        <source>No audit key: select a device on the Devices page to pin its key.</source>
        <translation>Kein Audit-Schlüssel: Wählen Sie auf der Seite „Geräte“ ein Gerät, um seinen Schlüssel zu hinterlegen.</translation>
    </message>
    <message>
        <source>Replace the pinned audit key</source>
        <translation>Hinterlegten Audit-Schlüssel ersetzen</translation>
    </message>
    <message>
        <source>“%1” has audit key %2 pinned; the new key is %3. Replace it only when the device&apos;s audit key really changed (a new device, “signiq-edge audit adopt”) and you compared the new key ID on the device itself: with a wrong key, a rewritten log would verify as intact.</source>
        <translation>Für „%1“ ist der Audit-Schlüssel %2 hinterlegt; der neue Schlüssel ist %3. Ersetzen Sie ihn nur, wenn sich der Audit-Schlüssel des Geräts wirklich geändert hat (ein neues Gerät, „signiq-edge audit adopt“) und Sie die neue Schlüssel-ID am Gerät selbst verglichen haben: Mit einem falschen Schlüssel würde ein umgeschriebenes Protokoll als intakt gelten.</translation>
    </message>
    <message>
        <source>Clear the pinned audit key</source>
        <translation>Hinterlegten Audit-Schlüssel entfernen</translation>
    </message>
    <message>
        <source>Clear audit key %1 of “%2”? Exports of this device can then no longer be proved intact, only checked as a chain.</source>
        <translation>Audit-Schlüssel %1 von „%2“ entfernen? Exporte dieses Geräts können dann nicht mehr als intakt belegt, sondern nur noch als Kette geprüft werden.</translation>
    </message>
    <message>
        <source>any actor (key ID, cli, system)</source>
        <translation>beliebiger Akteur (Schlüssel-ID, cli, system)</translation>
    </message>
    <message>
        <source>any action</source>
        <translation>beliebige Aktion</translation>
    </message>
    <message>
        <source>Apply filters</source>
        <translation>Filter anwenden</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Actor:</source>
        <translation>Akteur:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Aktion:</translation>
    </message>
    <message>
        <source>Export JSON lines…</source>
        <translation>Als JSON Lines exportieren…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Exports contain every entry of the time range with its hash chain.</source>
        <translation>Exporte enthalten jeden Eintrag des Zeitraums mit seiner Hash-Kette.</translation>
    </message>
    <message>
        <source>Verify an exported file (offline)</source>
        <translation>Exportierte Datei prüfen (offline)</translation>
    </message>
    <message>
        <source>Open and verify…</source>
        <translation>Öffnen und prüfen…</translation>
    </message>
    <message>
        <source>No file checked yet.</source>
        <translation>Noch keine Datei geprüft.</translation>
    </message>
    <message numerus="yes">
        <source>%n entries.</source>
        <translation>
            <numerusform>%n Eintrag.</numerusform>
            <numerusform>%n Einträge.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported %1 bytes to %2.</source>
        <translation>%1 Bytes nach %2 exportiert.</translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>Audit-Protokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>Verify audit export</source>
        <translation>Audit-Export prüfen</translation>
    </message>
    <message>
        <source>Audit exports (*.jsonl *.csv);;All files (*)</source>
        <translation>Audit-Exporte (*.jsonl *.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Wird geprüft…</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditTableModel</name>
    <message>
        <source>The chain breaks here.</source>
        <translation>Hier bricht die Kette.</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>Quell-IP</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Hash</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditViewModel</name>
    <message>
        <source>The audit key was not pinned.</source>
        <translation>Der Audit-Schlüssel wurde nicht hinterlegt.</translation>
    </message>
    <message>
        <source>The pinned audit key was not cleared.</source>
        <translation>Der hinterlegte Audit-Schlüssel wurde nicht entfernt.</translation>
    </message>
    <message>
        <source>No audit key is pinned for this device, so no head signature was checked. Pin the key that “signiq-edge audit public-key” prints on the device (Pin audit key…) to prove its exports intact.</source>
        <translation>Für dieses Gerät ist kein Audit-Schlüssel hinterlegt, daher wurde keine Kopfsignatur geprüft. Hinterlegen Sie den Schlüssel, den „signiq-edge audit public-key“ auf dem Gerät ausgibt (Audit-Schlüssel hinterlegen…), um seine Exporte als intakt zu belegen.</translation>
    </message>
    <message>
        <source>The file has no signed head, so the pinned audit key %1 cannot prove it intact.</source>
        <translation>Die Datei hat keinen signierten Kopf; der hinterlegte Audit-Schlüssel %1 kann sie daher nicht als intakt belegen.</translation>
    </message>
    <message>
        <source>The file&apos;s head is signed by audit key %1, but the key pinned for this device is %2: the file comes from another device, or the device&apos;s audit key was changed (signiq-edge audit adopt). Compare both key IDs with the device before pinning another key.</source>
        <translation>Der Kopf der Datei ist mit dem Audit-Schlüssel %1 signiert, für dieses Gerät ist aber %2 hinterlegt: Die Datei stammt von einem anderen Gerät, oder der Audit-Schlüssel des Geräts wurde geändert (signiq-edge audit adopt). Vergleichen Sie beide Schlüssel-IDs mit dem Gerät, bevor Sie einen anderen Schlüssel hinterlegen.</translation>
    </message>
    <message>
        <source>Checked with the audit key pinned for this device: %1.</source>
        <translation>Geprüft mit dem für dieses Gerät hinterlegten Audit-Schlüssel: %1.</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Kein Gerät ausgewählt. Fügen Sie auf der Seite „Geräte“ ein Gerät hinzu oder wählen Sie eines aus.</translation>
    </message>
    <message>
        <source>The chain is BROKEN at entry %1 (row %2): %3. Entries from there on cannot be trusted.</source>
        <translation>Die Kette ist bei Eintrag %1 (Zeile %2) UNTERBROCHEN: %3. Einträgen ab dort kann nicht vertraut werden.</translation>
    </message>
    <message numerus="yes">
        <source>The log is intact: %n entries, from the first entry to entry %1, ending at the head signed by audit key %2.</source>
        <translation>
            <numerusform>Das Protokoll ist intakt: %n Eintrag, vom ersten Eintrag bis Eintrag %1, abgeschlossen vom mit Audit-Schlüssel %2 signierten Kopf.</numerusform>
            <numerusform>Das Protokoll ist intakt: %n Einträge, vom ersten Eintrag bis Eintrag %1, abgeschlossen vom mit Audit-Schlüssel %2 signierten Kopf.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The chain is consistent (%n entries, up to entry %1), but the log is NOT proved intact: its head signature was not checked.</source>
        <translation>
            <numerusform>Die Kette ist stimmig (%n Eintrag, bis Eintrag %1), aber das Protokoll ist NICHT als intakt belegt: die Signatur des Kopfes wurde nicht geprüft.</numerusform>
            <numerusform>Die Kette ist stimmig (%n Einträge, bis Eintrag %1), aber das Protokoll ist NICHT als intakt belegt: die Signatur des Kopfes wurde nicht geprüft.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The chain is consistent from entry %1 to entry %2 (%n entries), but the log is NOT proved intact: the file starts in the middle of the log and its head signature was not checked.</source>
        <translation>
            <numerusform>Die Kette ist von Eintrag %1 bis Eintrag %2 stimmig (%n Eintrag), aber das Protokoll ist NICHT als intakt belegt: die Datei beginnt mitten im Protokoll, und die Signatur des Kopfes wurde nicht geprüft.</numerusform>
            <numerusform>Die Kette ist von Eintrag %1 bis Eintrag %2 stimmig (%n Einträge), aber das Protokoll ist NICHT als intakt belegt: die Datei beginnt mitten im Protokoll, und die Signatur des Kopfes wurde nicht geprüft.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>signiq::console::CertificateDialog</name>
    <message>
        <source>Verify the device certificate</source>
        <translation>Gerätezertifikat prüfen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning: the certificate of %1 has CHANGED.&lt;/b&gt; This happens when the device was reinstalled — or when someone intercepts the connection. Only continue if the device&apos;s administrator confirms the new fingerprint below.</source>
        <translation>&lt;b&gt;Warnung: Das Zertifikat von %1 hat sich GEÄNDERT.&lt;/b&gt; Das passiert, wenn das Gerät neu installiert wurde – oder wenn jemand die Verbindung abfängt. Fahren Sie nur fort, wenn der Administrator des Geräts den neuen Fingerabdruck unten bestätigt.</translation>
    </message>
    <message>
        <source>&lt;b&gt;First connection to “%1” (%2).&lt;/b&gt; The device is not vouched for by a deployment CA. Compare the fingerprint below with the one shown on the device before you trust it.</source>
        <translation>&lt;b&gt;Erste Verbindung zu „%1“ (%2).&lt;/b&gt; Keine Bereitstellungs-CA bürgt für dieses Gerät. Vergleichen Sie den Fingerabdruck unten mit dem auf dem Gerät angezeigten, bevor Sie ihm vertrauen.</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the device certificate:</source>
        <translation>SHA-256-Fingerabdruck des Gerätezertifikats:</translation>
    </message>
    <message>
        <source>The certificate is outside its validity period.</source>
        <translation>Das Zertifikat liegt außerhalb seines Gültigkeitszeitraums.</translation>
    </message>
    <message>
        <source>Deployment CA check: %1</source>
        <translation>Prüfung gegen die Bereitstellungs-CA: %1</translation>
    </message>
    <message>
        <source>Connection: %1</source>
        <translation>Verbindung: %1</translation>
    </message>
    <message>
        <source>Certificate chain</source>
        <translation>Zertifikatskette</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
    <message>
        <source>Issuer: %1</source>
        <translation>Aussteller: %1</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Ausgestellt von</translation>
    </message>
    <message>
        <source> (self-signed)</source>
        <translation> (selbstsigniert)</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>Diesem Zertifikat vertrauen</translation>
    </message>
</context>
<context>
    <name>signiq::console::ChartCard</name>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>PNG exportieren…</translation>
    </message>
    <message>
        <source>Export “%1” as CSV</source>
        <translation>„%1“ als CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Export “%1” as PNG</source>
        <translation>„%1“ als PNG exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
</context>
<context>
    <name>signiq::console::CreateKeyDialog</name>
    <message>
        <source>read — health and configuration</source>
        <translation>read – Zustand und Konfiguration</translation>
    </message>
    <message>
        <source>write — change zones and settings</source>
        <translation>write – Zonen und Einstellungen ändern</translation>
    </message>
    <message>
        <source>analytics — audience windows</source>
        <translation>analytics – Publikumsfenster</translation>
    </message>
    <message>
        <source>export — CSV and audit exports</source>
        <translation>export – CSV- und Audit-Exporte</translation>
    </message>
    <message>
        <source>webhooks — manage subscriptions</source>
        <translation>webhooks – Abonnements verwalten</translation>
    </message>
    <message>
        <source>calibrate — live overlay for installers</source>
        <translation>calibrate – Live-Overlay für Installateure</translation>
    </message>
    <message>
        <source>admin — keys and audit log</source>
        <translation>admin – Schlüssel und Audit-Protokoll</translation>
    </message>
    <message>
        <source>Create API key</source>
        <translation>API-Schlüssel erstellen</translation>
    </message>
    <message>
        <source>what the key is for, e.g. BI dashboard</source>
        <translation>wofür der Schlüssel ist, z. B. BI-Dashboard</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>Bezeichnung:</translation>
    </message>
    <message>
        <source>Rate-limit tier:</source>
        <translation>Ratenlimit-Stufe:</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>Läuft ab am</translation>
    </message>
    <message>
        <source>Expiry:</source>
        <translation>Ablauf:</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>Schlüssel erstellen</translation>
    </message>
</context>
<context>
    <name>signiq::console::DashboardPage</name>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Eigener Zeitraum</translation>
    </message>
    <message>
        <source>All zones</source>
        <translation>Alle Zonen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Zone:</source>
        <translation>Zone:</translation>
    </message>
    <message>
        <source>Opportunities to see (OTS)</source>
        <translation>Sichtkontakte (OTS)</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>Betrachter</translation>
    </message>
    <message>
        <source>OTS and viewers over time</source>
        <translation>OTS und Betrachter im Zeitverlauf</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Besuche</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Dwell time distribution</source>
        <translation>Verteilung der Verweildauer</translation>
    </message>
    <message>
        <source>Attention rate (%)</source>
        <translation>Aufmerksamkeitsrate (%)</translation>
    </message>
    <message>
        <source>Attention rate</source>
        <translation>Aufmerksamkeitsrate</translation>
    </message>
    <message>
        <source>Mean occupancy</source>
        <translation>Mittlere Belegung</translation>
    </message>
    <message>
        <source>Peak occupancy</source>
        <translation>Spitzenbelegung</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>Belegung</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Eintritte</translation>
    </message>
    <message>
        <source>Exits</source>
        <translation>Austritte</translation>
    </message>
    <message>
        <source>Entries and exits</source>
        <translation>Eintritte und Austritte</translation>
    </message>
    <message>
        <source>Mean OTS per hour by weekday and time of day</source>
        <translation>Mittlere OTS pro Stunde nach Wochentag und Tageszeit</translation>
    </message>
    <message>
        <source>Zone-to-zone flow (rows: from, columns: to)</source>
        <translation>Wege zwischen Zonen (Zeilen: von, Spalten: nach)</translation>
    </message>
    <message>
        <source>Demographics (age band × gender; cells under k are suppressed)</source>
        <translation>Demografie (Altersgruppe × Geschlecht; Zellen unter k werden unterdrückt)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Loading and aggregating…</source>
        <translation>Wird geladen und aggregiert…</translation>
    </message>
    <message>
        <source>DEMO DATA — synthetic windows generated by the console, not measured by any device.</source>
        <translation>DEMODATEN – von der Konsole erzeugte synthetische Fenster, von keinem Gerät gemessen.</translation>
    </message>
    <message>
        <source>No data for this range.</source>
        <translation>Keine Daten für diesen Zeitraum.</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message numerus="yes">
        <source>mean OTS per hour: %1 (over %n hour(s))</source>
        <translation>
            <numerusform>mittlere OTS pro Stunde: %1 (über %n Stunde)</numerusform>
            <numerusform>mittlere OTS pro Stunde: %1 (über %n Stunden)</numerusform>
        </translation>
    </message>
    <message>
        <source>female</source>
        <translation>weiblich</translation>
    </message>
    <message>
        <source>male</source>
        <translation>männlich</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>unterdrückt</translation>
    </message>
    <message>
        <source>Fewer than k people in every window: hidden for privacy.</source>
        <translation>In jedem Fenster weniger als k Personen: zum Schutz der Privatsphäre verborgen.</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <source>%1 of %2 windows hid this cell (fewer than k people); the sum of the others is shown.</source>
        <translation>%1 von %2 Fenstern haben diese Zelle verborgen (weniger als k Personen); angezeigt wird die Summe der übrigen.</translation>
    </message>
    <message>
        <source>No demographic windows for this range (demographics may be off on the device).</source>
        <translation>Keine demografischen Fenster für diesen Zeitraum (Demografie ist auf dem Gerät möglicherweise ausgeschaltet).</translation>
    </message>
    <message>
        <source>No audience windows in this range.</source>
        <translation>Keine Publikumsfenster in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>No device selected.</source>
        <translation>Kein Gerät ausgewählt.</translation>
    </message>
    <message>
        <source>%1 windows · OTS %2 · viewers %3 · attention rate %4 % · entries %5 · exits %6 · one point = %7 min</source>
        <translation>%1 Fenster · OTS %2 · Betrachter %3 · Aufmerksamkeitsrate %4 % · Eintritte %5 · Austritte %6 · ein Punkt = %7 min</translation>
    </message>
</context>
<context>
    <name>signiq::console::DashboardViewModel</name>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Kein Gerät ausgewählt. Fügen Sie auf der Seite „Geräte“ ein Gerät hinzu oder wählen Sie eines aus.</translation>
    </message>
    <message>
        <source>Demographics are not available on this device.</source>
        <translation>Demografische Daten sind auf diesem Gerät nicht verfügbar.</translation>
    </message>
</context>
<context>
    <name>signiq::console::DeviceTableModel</name>
    <message>
        <source>not pinned</source>
        <translation>nicht hinterlegt</translation>
    </message>
    <message>
        <source>Audit key</source>
        <translation>Audit-Schlüssel</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>reachable (%1)</source>
        <translation>erreichbar (%1)</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>FPS</source>
        <translation>FPS</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Kalibrierung</translation>
    </message>
    <message>
        <source>key refused</source>
        <translation>Schlüssel abgewiesen</translation>
    </message>
</context>
<context>
    <name>signiq::console::DevicesPage</name>
    <message>
        <source>Add a device</source>
        <translation>Gerät hinzufügen</translation>
    </message>
    <message>
        <source>e.g. Lobby screen</source>
        <translation>z. B. Bildschirm Foyer</translation>
    </message>
    <message>
        <source>host or host:port, e.g. 192.168.1.20:8443</source>
        <translation>Host oder Host:Port, z. B. 192.168.1.20:8443</translation>
    </message>
    <message>
        <source>Connect and add</source>
        <translation>Verbinden und hinzufügen</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API-Schlüssel:</translation>
    </message>
    <message>
        <source>Use selected device</source>
        <translation>Ausgewähltes Gerät verwenden</translation>
    </message>
    <message>
        <source>Check status</source>
        <translation>Status prüfen</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Entfernen…</translation>
    </message>
    <message>
        <source>API keys are stored in: %1</source>
        <translation>API-Schlüssel werden gespeichert in: %1</translation>
    </message>
    <message>
        <source>Device added.</source>
        <translation>Gerät hinzugefügt.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>The certificate was not trusted; the device was not added.</source>
        <translation>Dem Zertifikat wurde nicht vertraut; das Gerät wurde nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>Remove device</source>
        <translation>Gerät entfernen</translation>
    </message>
    <message>
        <source>Remove this device from the console? Its API key is deleted from secure storage; the device itself is not changed.</source>
        <translation>Dieses Gerät aus der Konsole entfernen? Sein API-Schlüssel wird aus dem sicheren Speicher gelöscht; das Gerät selbst wird nicht verändert.</translation>
    </message>
    <message>
        <source>sq_live_…</source>
        <translation>sq_live_…</translation>
    </message>
    <message>
        <source>Change key…</source>
        <translation>Schlüssel ändern…</translation>
    </message>
    <message>
        <source>The new API key is in use and stored in: %1.</source>
        <translation>Der neue API-Schlüssel ist in Gebrauch und gespeichert in: %1.</translation>
    </message>
    <message>
        <source>Select a device first.</source>
        <translation>Wählen Sie zuerst ein Gerät aus.</translation>
    </message>
    <message>
        <source>Change API key</source>
        <translation>API-Schlüssel ändern</translation>
    </message>
    <message>
        <source>The API key this console uses for the device (sq_live_…). It replaces the stored key.</source>
        <translation>Der API-Schlüssel, den diese Konsole für das Gerät verwendet (sq_live_…). Er ersetzt den gespeicherten Schlüssel.</translation>
    </message>
</context>
<context>
    <name>signiq::console::DevicesViewModel</name>
    <message>
        <source>Give the device a name.</source>
        <translation>Geben Sie dem Gerät einen Namen.</translation>
    </message>
    <message>
        <source>The address is not valid: use host or host:port, for example 192.168.1.20:8443.</source>
        <translation>Die Adresse ist ungültig: Verwenden Sie Host oder Host:Port, zum Beispiel 192.168.1.20:8443.</translation>
    </message>
    <message>
        <source>This address is already registered as “%1”.</source>
        <translation>Diese Adresse ist bereits als „%1“ registriert.</translation>
    </message>
    <message>
        <source>The API key is not a Signiq key (sq_live_… or sq_test_…). Create one on the device with “signiq-edge keys create --scope admin”.</source>
        <translation>Der API-Schlüssel ist kein Signiq-Schlüssel (sq_live_… oder sq_test_…). Erstellen Sie einen auf dem Gerät mit „signiq-edge keys create --scope admin“.</translation>
    </message>
    <message>
        <source>The device presented no usable certificate.</source>
        <translation>Das Gerät hat kein verwendbares Zertifikat vorgelegt.</translation>
    </message>
    <message>
        <source>The device could not be added.</source>
        <translation>Das Gerät konnte nicht hinzugefügt werden.</translation>
    </message>
    <message>
        <source>The console cannot connect to “%1”.</source>
        <translation>Die Konsole kann keine Verbindung zu „%1“ herstellen.</translation>
    </message>
    <message>
        <source>The device is not registered any more.</source>
        <translation>Das Gerät ist nicht mehr registriert.</translation>
    </message>
    <message>
        <source>The new API key of “%1” works until the console is closed, but it could not be stored.</source>
        <translation>Der neue API-Schlüssel von „%1“ funktioniert, bis die Konsole geschlossen wird, konnte aber nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>The console&apos;s API key for “%1” was revoked. Enter another key with “Change key…”.</source>
        <translation>Der API-Schlüssel der Konsole für „%1“ wurde widerrufen. Geben Sie mit „Schlüssel ändern…“ einen anderen Schlüssel ein.</translation>
    </message>
</context>
<context>
    <name>signiq::console::EncryptedFileSecretStore</name>
    <message>
        <source>encrypted file</source>
        <translation>verschlüsselte Datei</translation>
    </message>
</context>
<context>
    <name>signiq::console::KeychainSecretStore</name>
    <message>
        <source>system keychain</source>
        <translation>Schlüsselbund des Systems</translation>
    </message>
</context>
<context>
    <name>signiq::console::MainWindow</name>
    <message>
        <source>Signiq Console</source>
        <translation>Signiq Console</translation>
    </message>
    <message>
        <source>No device selected</source>
        <translation>Kein Gerät ausgewählt</translation>
    </message>
    <message>
        <source>Device: %1 — DEMO DATA, not measured</source>
        <translation>Gerät: %1 – DEMODATEN, nicht gemessen</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
</context>
<context>
    <name>signiq::console::RotateKeyDialog</name>
    <message>
        <source>Rotate API key</source>
        <translation>API-Schlüssel rotieren</translation>
    </message>
    <message>
        <source>Rotating key %1 creates a new secret. During the overlap the old secret keeps working, so that integrations can switch without downtime; with 0 days it stops at once.</source>
        <translation>Das Rotieren von Schlüssel %1 erzeugt ein neues Geheimnis. Während der Überlappung funktioniert das alte Geheimnis weiter, damit Integrationen ohne Ausfall umstellen können; bei 0 Tagen endet es sofort.</translation>
    </message>
    <message>
        <source> day(s)</source>
        <translation> Tag(e)</translation>
    </message>
    <message>
        <source>Overlap:</source>
        <translation>Überlappung:</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Rotieren</translation>
    </message>
</context>
<context>
    <name>signiq::console::SecretRevealDialog</name>
    <message>
        <source>Key rotated</source>
        <translation>Schlüssel rotiert</translation>
    </message>
    <message>
        <source>Key created</source>
        <translation>Schlüssel erstellt</translation>
    </message>
    <message>
        <source>&lt;b&gt;Copy this secret now.&lt;/b&gt; It is shown only once: the device keeps only a hash of it and cannot show it again. Store it in a password manager, never in a ticket or chat.</source>
        <translation>&lt;b&gt;Kopieren Sie dieses Geheimnis jetzt.&lt;/b&gt; Es wird nur einmal angezeigt: Das Gerät speichert nur einen Hash davon und kann es nicht erneut anzeigen. Bewahren Sie es in einem Passwortmanager auf, niemals in einem Ticket oder Chat.</translation>
    </message>
    <message>
        <source>Key ID: %1</source>
        <translation>Schlüssel-ID: %1</translation>
    </message>
    <message numerus="yes">
        <source>The previous secret stays valid for %n day(s).</source>
        <translation>
            <numerusform>Das bisherige Geheimnis bleibt noch %n Tag gültig.</numerusform>
            <numerusform>Das bisherige Geheimnis bleibt noch %n Tage gültig.</numerusform>
        </translation>
    </message>
    <message>
        <source>The previous secret stopped working immediately.</source>
        <translation>Das bisherige Geheimnis funktioniert ab sofort nicht mehr.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copied to the clipboard. Clear the clipboard after pasting it.</source>
        <translation>In die Zwischenablage kopiert. Leeren Sie die Zwischenablage nach dem Einfügen.</translation>
    </message>
</context>
<context>
    <name>signiq::console::SecretStoreSelector</name>
    <message>
        <source>API keys are stored in: %1.</source>
        <translation>API-Schlüssel werden gespeichert in: %1.</translation>
    </message>
    <message>
        <source>API keys are stored in the encrypted file (chosen in Settings).</source>
        <translation>API-Schlüssel werden in der verschlüsselten Datei gespeichert (in den Einstellungen gewählt).</translation>
    </message>
    <message>
        <source>API keys are stored in the system keychain (%1, chosen in Settings).</source>
        <translation>API-Schlüssel werden im Schlüsselbund des Systems gespeichert (%1, in den Einstellungen gewählt).</translation>
    </message>
    <message>
        <source>API keys must be stored in the system keychain (chosen in Settings), but none is available: %1. Choose “Automatic” or “Encrypted file” in Settings.</source>
        <translation>API-Schlüssel sollen im Schlüsselbund des Systems gespeichert werden (in den Einstellungen gewählt), aber keiner ist verfügbar: %1. Wählen Sie in den Einstellungen „Automatisch“ oder „Verschlüsselte Datei“.</translation>
    </message>
    <message>
        <source>API keys are stored in the encrypted file, because this desktop has no keychain service: %1.</source>
        <translation>API-Schlüssel werden in der verschlüsselten Datei gespeichert, weil dieser Desktop keinen Schlüsselbunddienst hat: %1.</translation>
    </message>
    <message>
        <source>API keys are stored in the encrypted file, because the system keychain failed: %1.</source>
        <translation>API-Schlüssel werden in der verschlüsselten Datei gespeichert, weil der Schlüsselbund des Systems versagt hat: %1.</translation>
    </message>
    <message>
        <source>API keys are stored in the system keychain (%1).</source>
        <translation>API-Schlüssel werden im Schlüsselbund des Systems gespeichert (%1).</translation>
    </message>
</context>
<context>
    <name>signiq::console::SettingsPage</name>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Default dashboard range:</source>
        <translation>Standardzeitraum des Dashboards:</translation>
    </message>
    <message>
        <source>none: every device&apos;s fingerprint is confirmed on first connection</source>
        <translation>keine: Der Fingerabdruck jedes Geräts wird bei der ersten Verbindung bestätigt</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Deployment CA certificate:</source>
        <translation>Zertifikat der Bereitstellungs-CA:</translation>
    </message>
    <message>
        <source>API keys stored in:</source>
        <translation>API-Schlüssel gespeichert in:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <source>The language changes the next time you start the console.</source>
        <translation>Die Sprache ändert sich beim nächsten Start der Konsole.</translation>
    </message>
    <message>
        <source>Saved. The dashboard opens with this range from the next start.</source>
        <translation>Gespeichert. Das Dashboard öffnet ab dem nächsten Start mit diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Deployment CA certificate</source>
        <translation>Zertifikat der Bereitstellungs-CA</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>No deployment CA: new devices are trusted only after you compare their fingerprint.</source>
        <translation>Keine Bereitstellungs-CA: Neuen Geräten wird erst vertraut, nachdem Sie ihren Fingerabdruck verglichen haben.</translation>
    </message>
    <message>
        <source>Devices with a certificate from this CA are trusted without a prompt.</source>
        <translation>Geräten mit einem Zertifikat dieser CA wird ohne Rückfrage vertraut.</translation>
    </message>
    <message>
        <source>Automatic (keychain, else encrypted file)</source>
        <translation>Automatisch (Schlüsselbund, sonst verschlüsselte Datei)</translation>
    </message>
    <message>
        <source>System keychain only</source>
        <translation>Nur Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>Encrypted file</source>
        <translation>Verschlüsselte Datei</translation>
    </message>
    <message>
        <source>Saved. New API keys go to: %1. Keys stored before stay readable.</source>
        <translation>Gespeichert. Neue API-Schlüssel gehen in: %1. Zuvor gespeicherte Schlüssel bleiben lesbar.</translation>
    </message>
</context>
<context>
    <name>signiq::console::ZoneEditorModel</name>
    <message>
        <source>This change would make the zones invalid: %1</source>
        <translation>Diese Änderung würde die Zonen ungültig machen: %1</translation>
    </message>
    <message>
        <source>A zone needs at least three points.</source>
        <translation>Eine Zone braucht mindestens drei Punkte.</translation>
    </message>
    <message>
        <source>Add zone “%1”</source>
        <translation>Zone „%1“ hinzufügen</translation>
    </message>
    <message>
        <source>No such zone.</source>
        <translation>Diese Zone gibt es nicht.</translation>
    </message>
    <message>
        <source>Delete zone “%1”</source>
        <translation>Zone „%1“ löschen</translation>
    </message>
    <message>
        <source>Rename zone “%1” to “%2”</source>
        <translation>Zone „%1“ in „%2“ umbenennen</translation>
    </message>
    <message>
        <source>No such point.</source>
        <translation>Diesen Punkt gibt es nicht.</translation>
    </message>
    <message>
        <source>Move a point of “%1”</source>
        <translation>Einen Punkt von „%1“ verschieben</translation>
    </message>
    <message>
        <source>Move zone “%1”</source>
        <translation>Zone „%1“ verschieben</translation>
    </message>
    <message>
        <source>Add counting line “%1”</source>
        <translation>Zähllinie „%1“ hinzufügen</translation>
    </message>
    <message>
        <source>No such line.</source>
        <translation>Diese Linie gibt es nicht.</translation>
    </message>
    <message>
        <source>Delete counting line “%1”</source>
        <translation>Zähllinie „%1“ löschen</translation>
    </message>
    <message>
        <source>Draw a zone first.</source>
        <translation>Zeichnen Sie zuerst eine Zone.</translation>
    </message>
    <message>
        <source>Edit floor points</source>
        <translation>Bodenpunkte bearbeiten</translation>
    </message>
    <message>
        <source>Edit screen and camera</source>
        <translation>Bildschirm und Kamera bearbeiten</translation>
    </message>
    <message>
        <source>Remove calibration</source>
        <translation>Kalibrierung entfernen</translation>
    </message>
    <message>
        <source>zone %1</source>
        <translation>Zone %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>Linie %1</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Kein Gerät ausgewählt. Fügen Sie auf der Seite „Geräte“ ein Gerät hinzu oder wählen Sie eines aus.</translation>
    </message>
    <message>
        <source>The zones cannot be saved yet: %1</source>
        <translation>Die Zonen können noch nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>signiq::console::ZonesPage</name>
    <message>
        <source>Select / move</source>
        <translation>Auswählen / verschieben</translation>
    </message>
    <message>
        <source>Draw zone</source>
        <translation>Zone zeichnen</translation>
    </message>
    <message>
        <source>Draw counting line</source>
        <translation>Zähllinie zeichnen</translation>
    </message>
    <message>
        <source>Place floor point</source>
        <translation>Bodenpunkt setzen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Draw zone: click the corners, double-click or press Enter to close. Draw counting line: click start and end (crossing right-to-left of the arrow counts as “in”). Select: drag a corner or a whole zone.</source>
        <translation>Zone zeichnen: Ecken anklicken, zum Schließen doppelklicken oder Eingabe drücken. Zähllinie zeichnen: Anfang und Ende anklicken (ein Überqueren von rechts nach links des Pfeils zählt als „hinein“). Auswählen: eine Ecke oder eine ganze Zone ziehen.</translation>
    </message>
    <message>
        <source>Load from device</source>
        <translation>Vom Gerät laden</translation>
    </message>
    <message>
        <source>Save to device</source>
        <translation>Auf dem Gerät speichern</translation>
    </message>
    <message>
        <source>Start live overlay</source>
        <translation>Live-Overlay starten</translation>
    </message>
    <message>
        <source>Zones (double-click to rename) and live counts</source>
        <translation>Zonen (Doppelklick zum Umbenennen) und Live-Zählungen</translation>
    </message>
    <message>
        <source>Delete selected zone</source>
        <translation>Ausgewählte Zone löschen</translation>
    </message>
    <message>
        <source>Counting lines (reported in the selected zone)</source>
        <translation>Zähllinien (gemeldet in der ausgewählten Zone)</translation>
    </message>
    <message>
        <source>Delete selected line</source>
        <translation>Ausgewählte Linie löschen</translation>
    </message>
    <message>
        <source>Floor points (ground-plane calibration)</source>
        <translation>Bodenpunkte (Kalibrierung der Bodenebene)</translation>
    </message>
    <message>
        <source>Enter the measured floor position, then click the same spot in the image. At least 4 points, no three in a line.</source>
        <translation>Geben Sie die gemessene Bodenposition ein und klicken Sie dann dieselbe Stelle im Bild an. Mindestens 4 Punkte, keine drei auf einer Linie.</translation>
    </message>
    <message>
        <source>Floor x (along the screen):</source>
        <translation>Boden x (entlang des Bildschirms):</translation>
    </message>
    <message>
        <source>Floor y (into the room):</source>
        <translation>Boden y (in den Raum):</translation>
    </message>
    <message>
        <source>Image x</source>
        <translation>Bild x</translation>
    </message>
    <message>
        <source>Image y</source>
        <translation>Bild y</translation>
    </message>
    <message>
        <source>Floor x (m)</source>
        <translation>Boden x (m)</translation>
    </message>
    <message>
        <source>Floor y (m)</source>
        <translation>Boden y (m)</translation>
    </message>
    <message>
        <source>Remove selected floor point</source>
        <translation>Ausgewählten Bodenpunkt entfernen</translation>
    </message>
    <message>
        <source>Screen and camera (floor coordinates)</source>
        <translation>Bildschirm und Kamera (Bodenkoordinaten)</translation>
    </message>
    <message>
        <source>Screen centre x:</source>
        <translation>Bildschirmmitte x:</translation>
    </message>
    <message>
        <source>Screen centre height:</source>
        <translation>Höhe der Bildschirmmitte:</translation>
    </message>
    <message>
        <source>Screen width:</source>
        <translation>Bildschirmbreite:</translation>
    </message>
    <message>
        <source>Screen height:</source>
        <translation>Bildschirmhöhe:</translation>
    </message>
    <message>
        <source>Camera position x:</source>
        <translation>Kameraposition x:</translation>
    </message>
    <message>
        <source>Camera height:</source>
        <translation>Kamerahöhe:</translation>
    </message>
    <message>
        <source>Apply screen and camera</source>
        <translation>Bildschirm und Kamera übernehmen</translation>
    </message>
    <message>
        <source>Saved. The device validated the zones; new calibration version %1.</source>
        <translation>Gespeichert. Das Gerät hat die Zonen geprüft; neue Kalibrierungsversion %1.</translation>
    </message>
    <message>
        <source>Loaded from the device.</source>
        <translation>Vom Gerät geladen.</translation>
    </message>
    <message>
        <source>Draw a zone first: a counting line reports in a zone.</source>
        <translation>Zeichnen Sie zuerst eine Zone: Eine Zähllinie meldet in eine Zone.</translation>
    </message>
    <message>
        <source>%1 → zone “%2”</source>
        <translation>%1 → Zone „%2“</translation>
    </message>
    <message>
        <source>Device calibration version: %1</source>
        <translation>Kalibrierungsversion des Geräts: %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Unsaved changes (would become version %1).</source>
        <translation>Ungespeicherte Änderungen (würden Version %1).</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Kein Gerät ausgewählt. Fügen Sie auf der Seite „Geräte“ ein Gerät hinzu oder wählen Sie eines aus.</translation>
    </message>
    <message numerus="yes">
        <source>%n person(s) in the zone now</source>
        <translation>
            <numerusform>%n Person jetzt in der Zone</numerusform>
            <numerusform>%n Personen jetzt in der Zone</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop live overlay</source>
        <translation>Live-Overlay beenden</translation>
    </message>
    <message>
        <source>They apply at the next window boundary at %1; until then the device counts with the old zones.</source>
        <translation>Sie gelten ab der nächsten Fenstergrenze um %1; bis dahin zählt das Gerät mit den alten Zonen.</translation>
    </message>
    <message>
        <source>They apply at the device&apos;s next window boundary; until then it counts with the old zones.</source>
        <translation>Sie gelten ab der nächsten Fenstergrenze des Geräts; bis dahin zählt es mit den alten Zonen.</translation>
    </message>
    <message>
        <source>The live overlay ended: %1. Start it again if needed.</source>
        <translation>Das Live-Overlay wurde beendet: %1. Starten Sie es bei Bedarf erneut.</translation>
    </message>
    <message>
        <source>Live overlay ended — last frame</source>
        <translation>Live-Overlay beendet – letztes Bild</translation>
    </message>
</context>
</TS>
