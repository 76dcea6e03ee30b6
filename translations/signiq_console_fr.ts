<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>ConsoleApplication</name>
    <message>
        <source>Lobby player (demo)</source>
        <translation>Lecteur du hall (démo)</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Appareils</translation>
    </message>
    <message>
        <source>Zones &amp; calibration</source>
        <translation>Zones et calibrage</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Clés d’API</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Journal d’audit</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Settings reset</source>
        <translation>Paramètres réinitialisés</translation>
    </message>
    <message>
        <source>Invalid settings were reset to their defaults: %1</source>
        <translation>Les paramètres non valides ont été remis à leur valeur par défaut : %1</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Details: %1</source>
        <translation>Détails : %1</translation>
    </message>
    <message>
        <source>The device cannot be reached or is busy. Check the address and the network, then try again.</source>
        <translation>L’appareil est injoignable ou occupé. Vérifiez l’adresse et le réseau, puis réessayez.</translation>
    </message>
    <message>
        <source>The device&apos;s certificate is not trusted or has changed. The connection was refused for your safety.</source>
        <translation>Le certificat de l’appareil n’est pas approuvé ou a changé. La connexion a été refusée pour votre sécurité.</translation>
    </message>
    <message>
        <source>The device refused the API key: it is unknown, revoked, or lacks the scope this needs.</source>
        <translation>L’appareil a refusé la clé d’API : elle est inconnue, révoquée ou n’a pas la portée nécessaire.</translation>
    </message>
    <message>
        <source>The device does not know the requested item.</source>
        <translation>L’appareil ne connaît pas l’élément demandé.</translation>
    </message>
    <message>
        <source>The device rejected the request.</source>
        <translation>L’appareil a rejeté la requête.</translation>
    </message>
    <message>
        <source>The device sent an answer the console does not understand.</source>
        <translation>L’appareil a envoyé une réponse que la console ne comprend pas.</translation>
    </message>
    <message>
        <source>The device runs an API version this console does not support.</source>
        <translation>L’appareil utilise une version de l’API que cette console ne prend pas en charge.</translation>
    </message>
    <message>
        <source>The device reported an internal error.</source>
        <translation>L’appareil a signalé une erreur interne.</translation>
    </message>
    <message>
        <source>The file does not exist.</source>
        <translation>Le fichier n’existe pas.</translation>
    </message>
    <message>
        <source>You are not allowed to read or write this file.</source>
        <translation>Vous n’êtes pas autorisé à lire ou à écrire ce fichier.</translation>
    </message>
    <message>
        <source>The file is not in the expected format.</source>
        <translation>Le fichier n’est pas au format attendu.</translation>
    </message>
    <message>
        <source>The file could not be read or written.</source>
        <translation>Le fichier n’a pas pu être lu ou écrit.</translation>
    </message>
    <message>
        <source>No API key is stored for this device.</source>
        <translation>Aucune clé d’API n’est enregistrée pour cet appareil.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>L’accès au trousseau a été refusé.</translation>
    </message>
    <message>
        <source>The encrypted secrets file cannot be opened with its key.</source>
        <translation>Le fichier chiffré des secrets ne peut pas être ouvert avec sa clé.</translation>
    </message>
    <message>
        <source>The API key could not be read from or saved to secure storage.</source>
        <translation>La clé d’API n’a pas pu être lue depuis le stockage sécurisé ni y être enregistrée.</translation>
    </message>
    <message>
        <source>No keychain service is running on this desktop. In Settings, choose “Automatic” or “Encrypted file” for where API keys are stored, or start a keychain (GNOME Keyring, KWallet).</source>
        <translation>Aucun service de trousseau ne fonctionne sur ce bureau. Dans les paramètres, choisissez « Automatique » ou « Fichier chiffré » pour l’emplacement des clés API, ou démarrez un trousseau (GNOME Keyring, KWallet).</translation>
    </message>
</context>
<context>
    <name>InMemorySecretStore</name>
    <message>
        <source>memory only (demo)</source>
        <translation>en mémoire uniquement (démo)</translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeyTableModel</name>
    <message>
        <source>revoked</source>
        <translation>révoquée</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirée</translation>
    </message>
    <message>
        <source>rotating (old secret valid until %1)</source>
        <translation>en rotation (ancien secret valide jusqu’au %1)</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
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
        <translation>jamais</translation>
    </message>
    <message>
        <source>no expiry</source>
        <translation>sans expiration</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>ID de clé</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Portées</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créée</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Dernière utilisation</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expire</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeysPage</name>
    <message>
        <source>New key…</source>
        <translation>Nouvelle clé…</translation>
    </message>
    <message>
        <source>Rotate…</source>
        <translation>Renouveler…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Révoquer…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Key %1 was revoked; it stopped working immediately.</source>
        <translation>La clé %1 a été révoquée ; elle a cessé de fonctionner immédiatement.</translation>
    </message>
    <message>
        <source>Select a key first.</source>
        <translation>Sélectionnez d’abord une clé.</translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation>Révoquer la clé d’API</translation>
    </message>
    <message>
        <source>Revoke key %1? Every integration using it stops working immediately. This cannot be undone.</source>
        <translation>Révoquer la clé %1 ? Toutes les intégrations qui l’utilisent cessent immédiatement de fonctionner. Cette action est irréversible.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Révoquer</translation>
    </message>
    <message>
        <source>Key %1 was rotated.</source>
        <translation>La clé %1 a été renouvelée.</translation>
    </message>
    <message>
        <source>Key %1 was created.</source>
        <translation>La clé %1 a été créée.</translation>
    </message>
    <message>
        <source>Rotate the console&apos;s own key</source>
        <translation>Renouveler la clé de la console</translation>
    </message>
    <message>
        <source>Key %1 is the key this console uses for this device. After the rotation the console keeps the new secret in its secret store and uses it at once; other programs that use this key need the new secret too.</source>
        <translation>La clé %1 est celle que cette console utilise pour cet appareil. Après le renouvellement, la console conserve le nouveau secret dans son stockage de secrets et l’utilise aussitôt ; les autres programmes qui utilisent cette clé ont aussi besoin du nouveau secret.</translation>
    </message>
    <message>
        <source>Continue…</source>
        <translation>Continuer…</translation>
    </message>
    <message>
        <source>This is the key this console uses for this device: the device will refuse the console until you enter another key (Devices → Change key…).</source>
        <translation>C’est la clé que cette console utilise pour cet appareil : l’appareil refusera la console jusqu’à ce que vous saisissiez une autre clé (Appareils → Changer la clé…).</translation>
    </message>
    <message>
        <source>Key %1 was rotated. This console uses the new secret from now on and keeps it in its secret store.</source>
        <translation>La clé %1 a été renouvelée. Cette console utilise désormais le nouveau secret et le conserve dans son stockage de secrets.</translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeysViewModel</name>
    <message>
        <source>Choose at least one scope.</source>
        <translation>Choisissez au moins une portée.</translation>
    </message>
    <message>
        <source>The label is longer than %1 characters.</source>
        <translation>Le libellé dépasse %1 caractères.</translation>
    </message>
    <message>
        <source>The expiry date must be in the future.</source>
        <translation>La date d’expiration doit être dans le futur.</translation>
    </message>
    <message>
        <source>The overlap must be between 0 and %1 days.</source>
        <translation>Le chevauchement doit être compris entre 0 et %1 jours.</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Aucun appareil n’est sélectionné. Ajoutez ou sélectionnez un appareil dans la page Appareils.</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditKeyDialog</name>
    <message>
        <source>Pin audit key</source>
        <translation>Épingler la clé d’audit</translation>
    </message>
    <message>
        <source>On “%1”, run “signiq-edge audit public-key --audit-key-file …” and paste the 64 hex characters it prints, or load the file it writes with --out. Exports of this device are then checked against this key only; compare the key ID below with the one the device reports.</source>
        <translation>Sur « %1 », exécutez « signiq-edge audit public-key --audit-key-file … » et collez les 64 caractères hexadécimaux affichés, ou chargez le fichier écrit avec --out. Les exports de cet appareil seront alors vérifiés avec cette seule clé ; comparez l’ID de clé ci-dessous avec celui qu’indique l’appareil.</translation>
    </message>
    <message>
        <source>No audit key is pinned for this device yet.</source>
        <translation>Aucune clé d’audit n’est encore épinglée pour cet appareil.</translation>
    </message>
    <message>
        <source>Pinned now: audit key %1. A different key replaces it.</source>
        <translation>Épinglée actuellement : clé d’audit %1. Une autre clé la remplacera.</translation>
    </message>
    <message>
        <source>64 hex characters</source>
        <translation>64 caractères hexadécimaux</translation>
    </message>
    <message>
        <source>Load from file…</source>
        <translation>Charger depuis un fichier…</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>Épingler</translation>
    </message>
    <message>
        <source>Paste the key or load its file.</source>
        <translation>Collez la clé ou chargez son fichier.</translation>
    </message>
    <message>
        <source>This is not an audit public key.</source>
        <translation>Ce n’est pas une clé publique d’audit.</translation>
    </message>
    <message>
        <source>Key ID: %1</source>
        <translation>ID de clé : %1</translation>
    </message>
    <message>
        <source>Load audit public key</source>
        <translation>Charger la clé publique d’audit</translation>
    </message>
    <message>
        <source>Audit public keys (*.pub);;All files (*)</source>
        <translation>Clés publiques d’audit (*.pub);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditPage</name>
    <message>
        <source>Pin audit key…</source>
        <translation>Épingler la clé d’audit…</translation>
    </message>
    <message>
        <source>Clear pin…</source>
        <translation>Retirer l’épinglage…</translation>
    </message>
    <message>
        <source>Audit key used for verification: %1 (key ID %2).</source>
        <translation>Clé d’audit utilisée pour la vérification : %1 (ID de clé %2).</translation>
    </message>
    <message>
        <source>No audit key is pinned for this device: files can be checked as a chain, but not proved intact. Pin the key that “signiq-edge audit public-key” prints on the device.</source>
        <translation>Aucune clé d’audit n’est épinglée pour cet appareil : les fichiers peuvent être vérifiés comme chaîne, mais leur intégrité ne peut pas être prouvée. Épinglez la clé qu’affiche « signiq-edge audit public-key » sur l’appareil.</translation>
    </message>
    <message>
        <source>No audit key: select a device on the Devices page to pin its key.</source>
        <translation>Aucune clé d’audit : sélectionnez un appareil sur la page Appareils pour épingler sa clé.</translation>
    </message>
    <message>
        <source>Replace the pinned audit key</source>
        <translation>Remplacer la clé d’audit épinglée</translation>
    </message>
    <message>
        <source>“%1” has audit key %2 pinned; the new key is %3. Replace it only when the device&apos;s audit key really changed (a new device, “signiq-edge audit adopt”) and you compared the new key ID on the device itself: with a wrong key, a rewritten log would verify as intact.</source>
        <translation>La clé d’audit %2 est épinglée pour « %1 » ; la nouvelle clé est %3. Ne la remplacez que si la clé d’audit de l’appareil a vraiment changé (un nouvel appareil, « signiq-edge audit adopt ») et que vous avez comparé le nouvel ID de clé sur l’appareil lui-même : avec une mauvaise clé, un journal réécrit serait vérifié comme intact.</translation>
    </message>
    <message>
        <source>Clear the pinned audit key</source>
        <translation>Retirer la clé d’audit épinglée</translation>
    </message>
    <message>
        <source>Clear audit key %1 of “%2”? Exports of this device can then no longer be proved intact, only checked as a chain.</source>
        <translation>Retirer la clé d’audit %1 de « %2 » ? L’intégrité des exports de cet appareil ne pourra alors plus être prouvée, seule la chaîne sera vérifiée.</translation>
    </message>
    <message>
        <source>any actor (key ID, cli, system)</source>
        <translation>tout acteur (ID de clé, cli, system)</translation>
    </message>
    <message>
        <source>any action</source>
        <translation>toute action</translation>
    </message>
    <message>
        <source>Apply filters</source>
        <translation>Appliquer les filtres</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Du :</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Actor:</source>
        <translation>Acteur :</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Action :</translation>
    </message>
    <message>
        <source>Export JSON lines…</source>
        <translation>Exporter en JSON Lines…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Exports contain every entry of the time range with its hash chain.</source>
        <translation>Les exports contiennent chaque entrée de la période avec sa chaîne de hachage.</translation>
    </message>
    <message>
        <source>Verify an exported file (offline)</source>
        <translation>Vérifier un fichier exporté (hors ligne)</translation>
    </message>
    <message>
        <source>Open and verify…</source>
        <translation>Ouvrir et vérifier…</translation>
    </message>
    <message>
        <source>No file checked yet.</source>
        <translation>Aucun fichier vérifié pour l’instant.</translation>
    </message>
    <message numerus="yes">
        <source>%n entries.</source>
        <translation>
            <numerusform>%n entrée.</numerusform>
            <numerusform>%n entrées.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported %1 bytes to %2.</source>
        <translation>%1 octets exportés vers %2.</translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>Exporter le journal d’audit</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>Verify audit export</source>
        <translation>Vérifier un export d’audit</translation>
    </message>
    <message>
        <source>Audit exports (*.jsonl *.csv);;All files (*)</source>
        <translation>Exports d’audit (*.jsonl *.csv);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Vérification…</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditTableModel</name>
    <message>
        <source>The chain breaks here.</source>
        <translation>La chaîne est rompue ici.</translation>
    </message>
    <message>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Acteur</translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation>IP source</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>Hash</source>
        <translation>Hachage</translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditViewModel</name>
    <message>
        <source>The audit key was not pinned.</source>
        <translation>La clé d’audit n’a pas été épinglée.</translation>
    </message>
    <message>
        <source>The pinned audit key was not cleared.</source>
        <translation>La clé d’audit épinglée n’a pas été retirée.</translation>
    </message>
    <message>
        <source>No audit key is pinned for this device, so no head signature was checked. Pin the key that “signiq-edge audit public-key” prints on the device (Pin audit key…) to prove its exports intact.</source>
        <translation>Aucune clé d’audit n’est épinglée pour cet appareil : aucune signature d’en-tête n’a donc été vérifiée. Épinglez la clé qu’affiche « signiq-edge audit public-key » sur l’appareil (Épingler la clé d’audit…) pour prouver l’intégrité de ses exports.</translation>
    </message>
    <message>
        <source>The file has no signed head, so the pinned audit key %1 cannot prove it intact.</source>
        <translation>Le fichier n’a pas d’en-tête signé : la clé d’audit épinglée %1 ne peut donc pas prouver son intégrité.</translation>
    </message>
    <message>
        <source>The file&apos;s head is signed by audit key %1, but the key pinned for this device is %2: the file comes from another device, or the device&apos;s audit key was changed (signiq-edge audit adopt). Compare both key IDs with the device before pinning another key.</source>
        <translation>L’en-tête du fichier est signé par la clé d’audit %1, mais la clé épinglée pour cet appareil est %2 : le fichier provient d’un autre appareil, ou la clé d’audit de l’appareil a changé (signiq-edge audit adopt). Comparez les deux ID de clé avec l’appareil avant d’épingler une autre clé.</translation>
    </message>
    <message>
        <source>Checked with the audit key pinned for this device: %1.</source>
        <translation>Vérifié avec la clé d’audit épinglée pour cet appareil : %1.</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Aucun appareil n’est sélectionné. Ajoutez ou sélectionnez un appareil dans la page Appareils.</translation>
    </message>
    <message>
        <source>The chain is BROKEN at entry %1 (row %2): %3. Entries from there on cannot be trusted.</source>
        <translation>La chaîne est ROMPUE à l’entrée %1 (ligne %2) : %3. Les entrées à partir de là ne sont pas fiables.</translation>
    </message>
    <message numerus="yes">
        <source>The log is intact: %n entries, from the first entry to entry %1, ending at the head signed by audit key %2.</source>
        <translation>
            <numerusform>Le journal est intact : %n entrée, de la première entrée à l’entrée %1, terminé par la tête signée avec la clé d’audit %2.</numerusform>
            <numerusform>Le journal est intact : %n entrées, de la première entrée à l’entrée %1, terminé par la tête signée avec la clé d’audit %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The chain is consistent (%n entries, up to entry %1), but the log is NOT proved intact: its head signature was not checked.</source>
        <translation>
            <numerusform>La chaîne est cohérente (%n entrée, jusqu’à l’entrée %1), mais le journal n’est PAS prouvé intact : la signature de sa tête n’a pas été vérifiée.</numerusform>
            <numerusform>La chaîne est cohérente (%n entrées, jusqu’à l’entrée %1), mais le journal n’est PAS prouvé intact : la signature de sa tête n’a pas été vérifiée.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The chain is consistent from entry %1 to entry %2 (%n entries), but the log is NOT proved intact: the file starts in the middle of the log and its head signature was not checked.</source>
        <translation>
            <numerusform>La chaîne est cohérente de l’entrée %1 à l’entrée %2 (%n entrée), mais le journal n’est PAS prouvé intact : le fichier commence au milieu du journal et la signature de sa tête n’a pas été vérifiée.</numerusform>
            <numerusform>La chaîne est cohérente de l’entrée %1 à l’entrée %2 (%n entrées), mais le journal n’est PAS prouvé intact : le fichier commence au milieu du journal et la signature de sa tête n’a pas été vérifiée.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>signiq::console::CertificateDialog</name>
    <message>
        <source>Verify the device certificate</source>
        <translation>Vérifier le certificat de l’appareil</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning: the certificate of %1 has CHANGED.&lt;/b&gt; This happens when the device was reinstalled — or when someone intercepts the connection. Only continue if the device&apos;s administrator confirms the new fingerprint below.</source>
        <translation>&lt;b&gt;Attention : le certificat de %1 a CHANGÉ.&lt;/b&gt; Cela arrive quand l’appareil a été réinstallé – ou quand quelqu’un intercepte la connexion. Ne continuez que si l’administrateur de l’appareil confirme la nouvelle empreinte ci-dessous.</translation>
    </message>
    <message>
        <source>&lt;b&gt;First connection to “%1” (%2).&lt;/b&gt; The device is not vouched for by a deployment CA. Compare the fingerprint below with the one shown on the device before you trust it.</source>
        <translation>&lt;b&gt;Première connexion à « %1 » (%2).&lt;/b&gt; Aucune AC de déploiement ne garantit cet appareil. Comparez l’empreinte ci-dessous avec celle affichée sur l’appareil avant de lui faire confiance.</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the device certificate:</source>
        <translation>Empreinte SHA-256 du certificat de l’appareil :</translation>
    </message>
    <message>
        <source>The certificate is outside its validity period.</source>
        <translation>Le certificat est en dehors de sa période de validité.</translation>
    </message>
    <message>
        <source>Deployment CA check: %1</source>
        <translation>Vérification par l’AC de déploiement : %1</translation>
    </message>
    <message>
        <source>Connection: %1</source>
        <translation>Connexion : %1</translation>
    </message>
    <message>
        <source>Certificate chain</source>
        <translation>Chaîne de certificats</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Appareil : %1</translation>
    </message>
    <message>
        <source>Issuer: %1</source>
        <translation>Émetteur : %1</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Émis par</translation>
    </message>
    <message>
        <source> (self-signed)</source>
        <translation> (auto-signé)</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>Valide à partir du</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Valide jusqu’au</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>Noms</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>Faire confiance à ce certificat</translation>
    </message>
</context>
<context>
    <name>signiq::console::ChartCard</name>
    <message>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Exporter en PNG…</translation>
    </message>
    <message>
        <source>Export “%1” as CSV</source>
        <translation>Exporter « %1 » en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export “%1” as PNG</source>
        <translation>Exporter « %1 » en PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>signiq::console::CreateKeyDialog</name>
    <message>
        <source>read — health and configuration</source>
        <translation>read – état et configuration</translation>
    </message>
    <message>
        <source>write — change zones and settings</source>
        <translation>write – modifier zones et paramètres</translation>
    </message>
    <message>
        <source>analytics — audience windows</source>
        <translation>analytics – fenêtres d’audience</translation>
    </message>
    <message>
        <source>export — CSV and audit exports</source>
        <translation>export – exports CSV et d’audit</translation>
    </message>
    <message>
        <source>webhooks — manage subscriptions</source>
        <translation>webhooks – gérer les abonnements</translation>
    </message>
    <message>
        <source>calibrate — live overlay for installers</source>
        <translation>calibrate – superposition en direct pour les installateurs</translation>
    </message>
    <message>
        <source>admin — keys and audit log</source>
        <translation>admin – clés et journal d’audit</translation>
    </message>
    <message>
        <source>Create API key</source>
        <translation>Créer une clé d’API</translation>
    </message>
    <message>
        <source>what the key is for, e.g. BI dashboard</source>
        <translation>à quoi sert la clé, p. ex. tableau de bord BI</translation>
    </message>
    <message>
        <source>Label:</source>
        <translation>Libellé :</translation>
    </message>
    <message>
        <source>Rate-limit tier:</source>
        <translation>Niveau de limitation de débit :</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>Expire le</translation>
    </message>
    <message>
        <source>Expiry:</source>
        <translation>Expiration :</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Portées</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>Créer la clé</translation>
    </message>
</context>
<context>
    <name>signiq::console::DashboardPage</name>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <source>All zones</source>
        <translation>Toutes les zones</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>Période :</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Zone:</source>
        <translation>Zone :</translation>
    </message>
    <message>
        <source>Opportunities to see (OTS)</source>
        <translation>Occasions de voir (ODV)</translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation>Spectateurs</translation>
    </message>
    <message>
        <source>OTS and viewers over time</source>
        <translation>ODV et spectateurs dans le temps</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visites</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Dwell time distribution</source>
        <translation>Répartition du temps de présence</translation>
    </message>
    <message>
        <source>Attention rate (%)</source>
        <translation>Taux d’attention (%)</translation>
    </message>
    <message>
        <source>Attention rate</source>
        <translation>Taux d’attention</translation>
    </message>
    <message>
        <source>Mean occupancy</source>
        <translation>Occupation moyenne</translation>
    </message>
    <message>
        <source>Peak occupancy</source>
        <translation>Occupation maximale</translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>Entrées</translation>
    </message>
    <message>
        <source>Exits</source>
        <translation>Sorties</translation>
    </message>
    <message>
        <source>Entries and exits</source>
        <translation>Entrées et sorties</translation>
    </message>
    <message>
        <source>Mean OTS per hour by weekday and time of day</source>
        <translation>ODV moyennes par heure selon le jour et l’heure</translation>
    </message>
    <message>
        <source>Zone-to-zone flow (rows: from, columns: to)</source>
        <translation>Flux entre zones (lignes : depuis, colonnes : vers)</translation>
    </message>
    <message>
        <source>Demographics (age band × gender; cells under k are suppressed)</source>
        <translation>Démographie (tranche d’âge × sexe ; les cellules sous k sont masquées)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <source>Loading and aggregating…</source>
        <translation>Chargement et agrégation…</translation>
    </message>
    <message>
        <source>DEMO DATA — synthetic windows generated by the console, not measured by any device.</source>
        <translation>DONNÉES DE DÉMO – fenêtres synthétiques générées par la console, mesurées par aucun appareil.</translation>
    </message>
    <message>
        <source>No data for this range.</source>
        <translation>Aucune donnée pour cette période.</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>aucune donnée</translation>
    </message>
    <message numerus="yes">
        <source>mean OTS per hour: %1 (over %n hour(s))</source>
        <translation>
            <numerusform>ODV moyennes par heure : %1 (sur %n heure)</numerusform>
            <numerusform>ODV moyennes par heure : %1 (sur %n heures)</numerusform>
        </translation>
    </message>
    <message>
        <source>female</source>
        <translation>femmes</translation>
    </message>
    <message>
        <source>male</source>
        <translation>hommes</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>masqué</translation>
    </message>
    <message>
        <source>Fewer than k people in every window: hidden for privacy.</source>
        <translation>Moins de k personnes dans chaque fenêtre : masqué pour protéger la vie privée.</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <source>%1 of %2 windows hid this cell (fewer than k people); the sum of the others is shown.</source>
        <translation>%1 fenêtres sur %2 ont masqué cette cellule (moins de k personnes) ; la somme des autres est affichée.</translation>
    </message>
    <message>
        <source>No demographic windows for this range (demographics may be off on the device).</source>
        <translation>Aucune fenêtre démographique pour cette période (la démographie est peut-être désactivée sur l’appareil).</translation>
    </message>
    <message>
        <source>No audience windows in this range.</source>
        <translation>Aucune fenêtre d’audience dans cette période.</translation>
    </message>
    <message>
        <source>No device selected.</source>
        <translation>Aucun appareil sélectionné.</translation>
    </message>
    <message>
        <source>%1 windows · OTS %2 · viewers %3 · attention rate %4 % · entries %5 · exits %6 · one point = %7 min</source>
        <translation>%1 fenêtres · ODV %2 · spectateurs %3 · taux d’attention %4 % · entrées %5 · sorties %6 · un point = %7 min</translation>
    </message>
</context>
<context>
    <name>signiq::console::DashboardViewModel</name>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Aucun appareil n’est sélectionné. Ajoutez ou sélectionnez un appareil dans la page Appareils.</translation>
    </message>
    <message>
        <source>Demographics are not available on this device.</source>
        <translation>Les données démographiques ne sont pas disponibles sur cet appareil.</translation>
    </message>
</context>
<context>
    <name>signiq::console::DeviceTableModel</name>
    <message>
        <source>not pinned</source>
        <translation>non épinglée</translation>
    </message>
    <message>
        <source>Audit key</source>
        <translation>Clé d’audit</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>non vérifié</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>vérification…</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>joignable</translation>
    </message>
    <message>
        <source>reachable (%1)</source>
        <translation>joignable (%1)</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>injoignable</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>FPS</source>
        <translation>IPS</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation>Calibrage</translation>
    </message>
    <message>
        <source>key refused</source>
        <translation>clé refusée</translation>
    </message>
</context>
<context>
    <name>signiq::console::DevicesPage</name>
    <message>
        <source>Add a device</source>
        <translation>Ajouter un appareil</translation>
    </message>
    <message>
        <source>e.g. Lobby screen</source>
        <translation>p. ex. Écran du hall</translation>
    </message>
    <message>
        <source>host or host:port, e.g. 192.168.1.20:8443</source>
        <translation>hôte ou hôte:port, p. ex. 192.168.1.20:8443</translation>
    </message>
    <message>
        <source>Connect and add</source>
        <translation>Se connecter et ajouter</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse :</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Clé d’API :</translation>
    </message>
    <message>
        <source>Use selected device</source>
        <translation>Utiliser l’appareil sélectionné</translation>
    </message>
    <message>
        <source>Check status</source>
        <translation>Vérifier l’état</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>API keys are stored in: %1</source>
        <translation>Les clés d’API sont stockées dans : %1</translation>
    </message>
    <message>
        <source>Device added.</source>
        <translation>Appareil ajouté.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>The certificate was not trusted; the device was not added.</source>
        <translation>Le certificat n’a pas été approuvé ; l’appareil n’a pas été ajouté.</translation>
    </message>
    <message>
        <source>Remove device</source>
        <translation>Supprimer l’appareil</translation>
    </message>
    <message>
        <source>Remove this device from the console? Its API key is deleted from secure storage; the device itself is not changed.</source>
        <translation>Supprimer cet appareil de la console ? Sa clé d’API est effacée du stockage sécurisé ; l’appareil lui-même n’est pas modifié.</translation>
    </message>
    <message>
        <source>sq_live_…</source>
        <translation>sq_live_…</translation>
    </message>
    <message>
        <source>Change key…</source>
        <translation>Changer la clé…</translation>
    </message>
    <message>
        <source>The new API key is in use and stored in: %1.</source>
        <translation>La nouvelle clé API est utilisée et enregistrée dans : %1.</translation>
    </message>
    <message>
        <source>Select a device first.</source>
        <translation>Sélectionnez d’abord un appareil.</translation>
    </message>
    <message>
        <source>Change API key</source>
        <translation>Changer la clé API</translation>
    </message>
    <message>
        <source>The API key this console uses for the device (sq_live_…). It replaces the stored key.</source>
        <translation>La clé API que cette console utilise pour l’appareil (sq_live_…). Elle remplace la clé enregistrée.</translation>
    </message>
</context>
<context>
    <name>signiq::console::DevicesViewModel</name>
    <message>
        <source>Give the device a name.</source>
        <translation>Donnez un nom à l’appareil.</translation>
    </message>
    <message>
        <source>The address is not valid: use host or host:port, for example 192.168.1.20:8443.</source>
        <translation>L’adresse n’est pas valide : utilisez hôte ou hôte:port, par exemple 192.168.1.20:8443.</translation>
    </message>
    <message>
        <source>This address is already registered as “%1”.</source>
        <translation>Cette adresse est déjà enregistrée sous « %1 ».</translation>
    </message>
    <message>
        <source>The API key is not a Signiq key (sq_live_… or sq_test_…). Create one on the device with “signiq-edge keys create --scope admin”.</source>
        <translation>La clé d’API n’est pas une clé Signiq (sq_live_… ou sq_test_…). Créez-en une sur l’appareil avec « signiq-edge keys create --scope admin ».</translation>
    </message>
    <message>
        <source>The device presented no usable certificate.</source>
        <translation>L’appareil n’a présenté aucun certificat utilisable.</translation>
    </message>
    <message>
        <source>The device could not be added.</source>
        <translation>L’appareil n’a pas pu être ajouté.</translation>
    </message>
    <message>
        <source>The console cannot connect to “%1”.</source>
        <translation>La console ne peut pas se connecter à « %1 ».</translation>
    </message>
    <message>
        <source>The device is not registered any more.</source>
        <translation>L’appareil n’est plus enregistré.</translation>
    </message>
    <message>
        <source>The new API key of “%1” works until the console is closed, but it could not be stored.</source>
        <translation>La nouvelle clé API de « %1 » fonctionne jusqu’à la fermeture de la console, mais elle n’a pas pu être enregistrée.</translation>
    </message>
    <message>
        <source>The console&apos;s API key for “%1” was revoked. Enter another key with “Change key…”.</source>
        <translation>La clé API de la console pour « %1 » a été révoquée. Saisissez une autre clé avec « Changer la clé… ».</translation>
    </message>
</context>
<context>
    <name>signiq::console::EncryptedFileSecretStore</name>
    <message>
        <source>encrypted file</source>
        <translation>fichier chiffré</translation>
    </message>
</context>
<context>
    <name>signiq::console::KeychainSecretStore</name>
    <message>
        <source>system keychain</source>
        <translation>trousseau du système</translation>
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
        <translation>Aucun appareil sélectionné</translation>
    </message>
    <message>
        <source>Device: %1 — DEMO DATA, not measured</source>
        <translation>Appareil : %1 – DONNÉES DE DÉMO, non mesurées</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>Appareil : %1</translation>
    </message>
</context>
<context>
    <name>signiq::console::RotateKeyDialog</name>
    <message>
        <source>Rotate API key</source>
        <translation>Renouveler la clé d’API</translation>
    </message>
    <message>
        <source>Rotating key %1 creates a new secret. During the overlap the old secret keeps working, so that integrations can switch without downtime; with 0 days it stops at once.</source>
        <translation>Renouveler la clé %1 crée un nouveau secret. Pendant le chevauchement, l’ancien secret continue de fonctionner afin que les intégrations basculent sans interruption ; avec 0 jour, il cesse immédiatement.</translation>
    </message>
    <message>
        <source> day(s)</source>
        <translation> jour(s)</translation>
    </message>
    <message>
        <source>Overlap:</source>
        <translation>Chevauchement :</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Renouveler</translation>
    </message>
</context>
<context>
    <name>signiq::console::SecretRevealDialog</name>
    <message>
        <source>Key rotated</source>
        <translation>Clé renouvelée</translation>
    </message>
    <message>
        <source>Key created</source>
        <translation>Clé créée</translation>
    </message>
    <message>
        <source>&lt;b&gt;Copy this secret now.&lt;/b&gt; It is shown only once: the device keeps only a hash of it and cannot show it again. Store it in a password manager, never in a ticket or chat.</source>
        <translation>&lt;b&gt;Copiez ce secret maintenant.&lt;/b&gt; Il n’est affiché qu’une seule fois : l’appareil n’en conserve qu’une empreinte et ne peut plus l’afficher. Rangez-le dans un gestionnaire de mots de passe, jamais dans un ticket ou une messagerie.</translation>
    </message>
    <message>
        <source>Key ID: %1</source>
        <translation>ID de clé : %1</translation>
    </message>
    <message numerus="yes">
        <source>The previous secret stays valid for %n day(s).</source>
        <translation>
            <numerusform>L’ancien secret reste valide pendant %n jour.</numerusform>
            <numerusform>L’ancien secret reste valide pendant %n jours.</numerusform>
        </translation>
    </message>
    <message>
        <source>The previous secret stopped working immediately.</source>
        <translation>L’ancien secret a cessé de fonctionner immédiatement.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <source>Copied to the clipboard. Clear the clipboard after pasting it.</source>
        <translation>Copié dans le presse-papiers. Videz le presse-papiers après l’avoir collé.</translation>
    </message>
</context>
<context>
    <name>signiq::console::SecretStoreSelector</name>
    <message>
        <source>API keys are stored in: %1.</source>
        <translation>Les clés API sont enregistrées dans : %1.</translation>
    </message>
    <message>
        <source>API keys are stored in the encrypted file (chosen in Settings).</source>
        <translation>Les clés API sont enregistrées dans le fichier chiffré (choisi dans les paramètres).</translation>
    </message>
    <message>
        <source>API keys are stored in the system keychain (%1, chosen in Settings).</source>
        <translation>Les clés API sont enregistrées dans le trousseau du système (%1, choisi dans les paramètres).</translation>
    </message>
    <message>
        <source>API keys must be stored in the system keychain (chosen in Settings), but none is available: %1. Choose “Automatic” or “Encrypted file” in Settings.</source>
        <translation>Les clés API doivent être enregistrées dans le trousseau du système (choisi dans les paramètres), mais aucun n’est disponible : %1. Choisissez « Automatique » ou « Fichier chiffré » dans les paramètres.</translation>
    </message>
    <message>
        <source>API keys are stored in the encrypted file, because this desktop has no keychain service: %1.</source>
        <translation>Les clés API sont enregistrées dans le fichier chiffré, car ce bureau n’a pas de service de trousseau : %1.</translation>
    </message>
    <message>
        <source>API keys are stored in the encrypted file, because the system keychain failed: %1.</source>
        <translation>Les clés API sont enregistrées dans le fichier chiffré, car le trousseau du système a échoué : %1.</translation>
    </message>
    <message>
        <source>API keys are stored in the system keychain (%1).</source>
        <translation>Les clés API sont enregistrées dans le trousseau du système (%1).</translation>
    </message>
</context>
<context>
    <name>signiq::console::SettingsPage</name>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Default dashboard range:</source>
        <translation>Période par défaut du tableau de bord :</translation>
    </message>
    <message>
        <source>none: every device&apos;s fingerprint is confirmed on first connection</source>
        <translation>aucune : l’empreinte de chaque appareil est confirmée à la première connexion</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Deployment CA certificate:</source>
        <translation>Certificat de l’AC de déploiement :</translation>
    </message>
    <message>
        <source>API keys stored in:</source>
        <translation>Clés d’API stockées dans :</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version :</translation>
    </message>
    <message>
        <source>The language changes the next time you start the console.</source>
        <translation>La langue change au prochain démarrage de la console.</translation>
    </message>
    <message>
        <source>Saved. The dashboard opens with this range from the next start.</source>
        <translation>Enregistré. Le tableau de bord s’ouvrira sur cette période à partir du prochain démarrage.</translation>
    </message>
    <message>
        <source>Deployment CA certificate</source>
        <translation>Certificat de l’AC de déploiement</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>Certificats PEM (*.pem *.crt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>No deployment CA: new devices are trusted only after you compare their fingerprint.</source>
        <translation>Aucune AC de déploiement : les nouveaux appareils ne sont approuvés qu’après comparaison de leur empreinte.</translation>
    </message>
    <message>
        <source>Devices with a certificate from this CA are trusted without a prompt.</source>
        <translation>Les appareils dotés d’un certificat de cette AC sont approuvés sans confirmation.</translation>
    </message>
    <message>
        <source>Automatic (keychain, else encrypted file)</source>
        <translation>Automatique (trousseau, sinon fichier chiffré)</translation>
    </message>
    <message>
        <source>System keychain only</source>
        <translation>Trousseau du système uniquement</translation>
    </message>
    <message>
        <source>Encrypted file</source>
        <translation>Fichier chiffré</translation>
    </message>
    <message>
        <source>Saved. New API keys go to: %1. Keys stored before stay readable.</source>
        <translation>Enregistré. Les nouvelles clés API vont dans : %1. Les clés enregistrées auparavant restent lisibles.</translation>
    </message>
</context>
<context>
    <name>signiq::console::ZoneEditorModel</name>
    <message>
        <source>This change would make the zones invalid: %1</source>
        <translation>Cette modification rendrait les zones non valides : %1</translation>
    </message>
    <message>
        <source>A zone needs at least three points.</source>
        <translation>Une zone nécessite au moins trois points.</translation>
    </message>
    <message>
        <source>Add zone “%1”</source>
        <translation>Ajouter la zone « %1 »</translation>
    </message>
    <message>
        <source>No such zone.</source>
        <translation>Cette zone n’existe pas.</translation>
    </message>
    <message>
        <source>Delete zone “%1”</source>
        <translation>Supprimer la zone « %1 »</translation>
    </message>
    <message>
        <source>Rename zone “%1” to “%2”</source>
        <translation>Renommer la zone « %1 » en « %2 »</translation>
    </message>
    <message>
        <source>No such point.</source>
        <translation>Ce point n’existe pas.</translation>
    </message>
    <message>
        <source>Move a point of “%1”</source>
        <translation>Déplacer un point de « %1 »</translation>
    </message>
    <message>
        <source>Move zone “%1”</source>
        <translation>Déplacer la zone « %1 »</translation>
    </message>
    <message>
        <source>Add counting line “%1”</source>
        <translation>Ajouter la ligne de comptage « %1 »</translation>
    </message>
    <message>
        <source>No such line.</source>
        <translation>Cette ligne n’existe pas.</translation>
    </message>
    <message>
        <source>Delete counting line “%1”</source>
        <translation>Supprimer la ligne de comptage « %1 »</translation>
    </message>
    <message>
        <source>Draw a zone first.</source>
        <translation>Dessinez d’abord une zone.</translation>
    </message>
    <message>
        <source>Edit floor points</source>
        <translation>Modifier les points au sol</translation>
    </message>
    <message>
        <source>Edit screen and camera</source>
        <translation>Modifier l’écran et la caméra</translation>
    </message>
    <message>
        <source>Remove calibration</source>
        <translation>Supprimer le calibrage</translation>
    </message>
    <message>
        <source>zone %1</source>
        <translation>zone %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>ligne %1</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Aucun appareil n’est sélectionné. Ajoutez ou sélectionnez un appareil dans la page Appareils.</translation>
    </message>
    <message>
        <source>The zones cannot be saved yet: %1</source>
        <translation>Les zones ne peuvent pas encore être enregistrées : %1</translation>
    </message>
</context>
<context>
    <name>signiq::console::ZonesPage</name>
    <message>
        <source>Select / move</source>
        <translation>Sélectionner / déplacer</translation>
    </message>
    <message>
        <source>Draw zone</source>
        <translation>Dessiner une zone</translation>
    </message>
    <message>
        <source>Draw counting line</source>
        <translation>Dessiner une ligne de comptage</translation>
    </message>
    <message>
        <source>Place floor point</source>
        <translation>Placer un point au sol</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>Draw zone: click the corners, double-click or press Enter to close. Draw counting line: click start and end (crossing right-to-left of the arrow counts as “in”). Select: drag a corner or a whole zone.</source>
        <translation>Dessiner une zone : cliquez sur les coins, double-cliquez ou appuyez sur Entrée pour fermer. Dessiner une ligne de comptage : cliquez sur le début et la fin (un passage de droite à gauche de la flèche compte comme « entrée »). Sélectionner : faites glisser un coin ou une zone entière.</translation>
    </message>
    <message>
        <source>Load from device</source>
        <translation>Charger depuis l’appareil</translation>
    </message>
    <message>
        <source>Save to device</source>
        <translation>Enregistrer sur l’appareil</translation>
    </message>
    <message>
        <source>Start live overlay</source>
        <translation>Démarrer la superposition en direct</translation>
    </message>
    <message>
        <source>Zones (double-click to rename) and live counts</source>
        <translation>Zones (double-cliquez pour renommer) et comptages en direct</translation>
    </message>
    <message>
        <source>Delete selected zone</source>
        <translation>Supprimer la zone sélectionnée</translation>
    </message>
    <message>
        <source>Counting lines (reported in the selected zone)</source>
        <translation>Lignes de comptage (rapportées dans la zone sélectionnée)</translation>
    </message>
    <message>
        <source>Delete selected line</source>
        <translation>Supprimer la ligne sélectionnée</translation>
    </message>
    <message>
        <source>Floor points (ground-plane calibration)</source>
        <translation>Points au sol (calibrage du plan du sol)</translation>
    </message>
    <message>
        <source>Enter the measured floor position, then click the same spot in the image. At least 4 points, no three in a line.</source>
        <translation>Saisissez la position mesurée au sol, puis cliquez au même endroit dans l’image. Au moins 4 points, jamais trois alignés.</translation>
    </message>
    <message>
        <source>Floor x (along the screen):</source>
        <translation>Sol x (le long de l’écran) :</translation>
    </message>
    <message>
        <source>Floor y (into the room):</source>
        <translation>Sol y (vers la salle) :</translation>
    </message>
    <message>
        <source>Image x</source>
        <translation>Image x</translation>
    </message>
    <message>
        <source>Image y</source>
        <translation>Image y</translation>
    </message>
    <message>
        <source>Floor x (m)</source>
        <translation>Sol x (m)</translation>
    </message>
    <message>
        <source>Floor y (m)</source>
        <translation>Sol y (m)</translation>
    </message>
    <message>
        <source>Remove selected floor point</source>
        <translation>Supprimer le point au sol sélectionné</translation>
    </message>
    <message>
        <source>Screen and camera (floor coordinates)</source>
        <translation>Écran et caméra (coordonnées au sol)</translation>
    </message>
    <message>
        <source>Screen centre x:</source>
        <translation>Centre de l’écran x :</translation>
    </message>
    <message>
        <source>Screen centre height:</source>
        <translation>Hauteur du centre de l’écran :</translation>
    </message>
    <message>
        <source>Screen width:</source>
        <translation>Largeur de l’écran :</translation>
    </message>
    <message>
        <source>Screen height:</source>
        <translation>Hauteur de l’écran :</translation>
    </message>
    <message>
        <source>Camera position x:</source>
        <translation>Position de la caméra x :</translation>
    </message>
    <message>
        <source>Camera height:</source>
        <translation>Hauteur de la caméra :</translation>
    </message>
    <message>
        <source>Apply screen and camera</source>
        <translation>Appliquer l’écran et la caméra</translation>
    </message>
    <message>
        <source>Saved. The device validated the zones; new calibration version %1.</source>
        <translation>Enregistré. L’appareil a validé les zones ; nouvelle version de calibrage %1.</translation>
    </message>
    <message>
        <source>Loaded from the device.</source>
        <translation>Chargé depuis l’appareil.</translation>
    </message>
    <message>
        <source>Draw a zone first: a counting line reports in a zone.</source>
        <translation>Dessinez d’abord une zone : une ligne de comptage est rapportée dans une zone.</translation>
    </message>
    <message>
        <source>%1 → zone “%2”</source>
        <translation>%1 → zone « %2 »</translation>
    </message>
    <message>
        <source>Device calibration version: %1</source>
        <translation>Version de calibrage de l’appareil : %1</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
    <message>
        <source>Unsaved changes (would become version %1).</source>
        <translation>Modifications non enregistrées (deviendraient la version %1).</translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation>Aucun appareil n’est sélectionné. Ajoutez ou sélectionnez un appareil dans la page Appareils.</translation>
    </message>
    <message numerus="yes">
        <source>%n person(s) in the zone now</source>
        <translation>
            <numerusform>%n personne dans la zone actuellement</numerusform>
            <numerusform>%n personnes dans la zone actuellement</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop live overlay</source>
        <translation>Arrêter la superposition en direct</translation>
    </message>
    <message>
        <source>They apply at the next window boundary at %1; until then the device counts with the old zones.</source>
        <translation>Elles s’appliquent à la prochaine limite de fenêtre, à %1 ; d’ici là, l’appareil compte avec les anciennes zones.</translation>
    </message>
    <message>
        <source>They apply at the device&apos;s next window boundary; until then it counts with the old zones.</source>
        <translation>Elles s’appliquent à la prochaine limite de fenêtre de l’appareil ; d’ici là, il compte avec les anciennes zones.</translation>
    </message>
    <message>
        <source>The live overlay ended: %1. Start it again if needed.</source>
        <translation>La superposition en direct s’est terminée : %1. Relancez-la si nécessaire.</translation>
    </message>
    <message>
        <source>Live overlay ended — last frame</source>
        <translation>Superposition en direct terminée – dernière image</translation>
    </message>
</context>
</TS>
