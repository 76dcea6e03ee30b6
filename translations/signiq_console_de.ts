<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ConsoleApplication</name>
    <message>
        <source>Lobby player (demo)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zones &amp; calibration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid settings were reset to their defaults: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Details: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device cannot be reached or is busy. Check the address and the network, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device&apos;s certificate is not trusted or has changed. The connection was refused for your safety.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device refused the API key: it is unknown, revoked, or lacks the scope this needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device does not know the requested item.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device rejected the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device sent an answer the console does not understand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device runs an API version this console does not support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device reported an internal error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not allowed to read or write this file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is not in the expected format.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be read or written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No API key is stored for this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The encrypted secrets file cannot be opened with its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key could not be read from or saved to secure storage.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InMemorySecretStore</name>
    <message>
        <source>memory only (demo)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeyTableModel</name>
    <message>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rotating (old secret valid until %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pro</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeysPage</name>
    <message>
        <source>New key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1 was revoked; it stopped working immediately.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke key %1? Every integration using it stops working immediately. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1 was rotated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key %1 was created.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::ApiKeysViewModel</name>
    <message>
        <source>Choose at least one scope.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label is longer than %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The expiry date must be in the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The overlap must be between 0 and %1 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditPage</name>
    <message>
        <source>any actor (key ID, cli, system)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export JSON lines…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exports contain every entry of the time range with its hash chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify an exported file (offline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open and verify…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file checked yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n entries.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Exported %1 bytes to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify audit export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit exports (*.jsonl *.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditTableModel</name>
    <message>
        <source>The chain breaks here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::AuditViewModel</name>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chain is BROKEN at entry %1 (row %2): %3. Entries from there on cannot be trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The chain is intact: %n entries, from the first entry of the log to entry %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The chain is intact from entry %1 to entry %2 (%n entries). The file starts in the middle of the log, so its link to earlier entries cannot be checked offline.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>signiq::console::CertificateDialog</name>
    <message>
        <source>Verify the device certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning: the certificate of %1 has CHANGED.&lt;/b&gt; This happens when the device was reinstalled — or when someone intercepts the connection. Only continue if the device&apos;s administrator confirms the new fingerprint below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;First connection to “%1” (%2).&lt;/b&gt; The device is not vouched for by a deployment CA. Compare the fingerprint below with the one shown on the device before you trust it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the device certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate is outside its validity period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployment CA check: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (self-signed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::ChartCard</name>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export “%1” as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export “%1” as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::CreateKeyDialog</name>
    <message>
        <source>read — health and configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write — change zones and settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>analytics — audience windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export — CSV and audit exports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>webhooks — manage subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>calibrate — live overlay for installers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin — keys and audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what the key is for, e.g. BI dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate-limit tier:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::DashboardPage</name>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All zones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opportunities to see (OTS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viewers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OTS and viewers over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dwell time distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention rate (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean occupancy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak occupancy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occupancy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries and exits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean OTS per hour by weekday and time of day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zone-to-zone flow (rows: from, columns: to)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demographics (age band × gender; cells under k are suppressed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading and aggregating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO DATA — synthetic windows generated by the console, not measured by any device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data for this range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>mean OTS per hour: %1 (over %n hour(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>female</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>male</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fewer than k people in every window: hidden for privacy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 windows hid this cell (fewer than k people); the sum of the others is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No demographic windows for this range (demographics may be off on the device).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No audience windows in this range.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No device selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 windows · OTS %2 · viewers %3 · attention rate %4 % · entries %5 · exits %6 · one point = %7 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::DashboardViewModel</name>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::DeviceTableModel</name>
    <message>
        <source>not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reachable (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calibration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::DevicesPage</name>
    <message>
        <source>Add a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Lobby screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host or host:port, e.g. 192.168.1.20:8443</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sq_live_… (kept in the system keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect and add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use selected device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys are stored in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate was not trusted; the device was not added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this device from the console? Its API key is deleted from secure storage; the device itself is not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::DevicesViewModel</name>
    <message>
        <source>Give the device a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address is not valid: use host or host:port, for example 192.168.1.20:8443.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This address is already registered as “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key is not a Signiq key (sq_live_… or sq_test_…). Create one on the device with “signiq-edge keys create --scope admin”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device presented no usable certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The device could not be added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console cannot connect to “%1”: this build has no HTTPS device client yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::EncryptedFileSecretStore</name>
    <message>
        <source>encrypted file (no keychain service available)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::KeychainSecretStore</name>
    <message>
        <source>system keychain</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::MainWindow</name>
    <message>
        <source>Signiq Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No device selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: %1 — DEMO DATA, not measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::RotateKeyDialog</name>
    <message>
        <source>Rotate API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotating key %1 creates a new secret. During the overlap the old secret keeps working, so that integrations can switch without downtime; with 0 days it stops at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> day(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::SecretRevealDialog</name>
    <message>
        <source>Key rotated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Copy this secret now.&lt;/b&gt; It is shown only once: the device keeps only a hash of it and cannot show it again. Store it in a password manager, never in a ticket or chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key ID: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The previous secret stays valid for %n day(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The previous secret stopped working immediately.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied to the clipboard. Clear the clipboard after pasting it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::SettingsPage</name>
    <message>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default dashboard range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: every device&apos;s fingerprint is confirmed on first connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployment CA certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API keys stored in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes the next time you start the console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The dashboard opens with this range from the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deployment CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No deployment CA: new devices are trusted only after you compare their fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices with a certificate from this CA are trusted without a prompt.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::ZoneEditorModel</name>
    <message>
        <source>This change would make the zones invalid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A zone needs at least three points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add zone “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete zone “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename zone “%1” to “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such point.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move a point of “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move zone “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add counting line “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete counting line “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw a zone first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit floor points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit screen and camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove calibration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zone %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The zones cannot be saved yet: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>signiq::console::ZonesPage</name>
    <message>
        <source>Select / move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw counting line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Place floor point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw zone: click the corners, double-click or press Enter to close. Draw counting line: click start and end (crossing right-to-left of the arrow counts as “in”). Select: drag a corner or a whole zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load from device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start live overlay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zones (double-click to rename) and live counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete selected zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting lines (reported in the selected zone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete selected line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor points (ground-plane calibration)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the measured floor position, then click the same spot in the image. At least 4 points, no three in a line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor x (along the screen):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor y (into the room):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image x</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image y</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor x (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor y (m)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove selected floor point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen and camera (floor coordinates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen centre x:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen centre height:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen width:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen height:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera position x:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera height:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply screen and camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The device validated the zones; new calibration version %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded from the device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw a zone first: a counting line reports in a zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → zone “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device calibration version: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes (would become version %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No device is selected. Add or select a device on the Devices page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n person(s) in the zone now</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The live overlay ended (the device closes it after 10 minutes, or the key lacks the calibrate scope). Start it again if needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop live overlay</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
