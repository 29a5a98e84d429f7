<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectionProfile</name>
    <message>
        <source>Give the cluster a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter at least one bootstrap server (host:port).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not host:port with a port from 1 to 65535.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown security protocol &quot;%1&quot; (use %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsupported SASL mechanism &quot;%1&quot; (use %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SASL needs a username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No such file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A client certificate needs its private key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A private key needs its client certificate.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>the keychain is disabled (PARTITA_NO_KEYCHAIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no D-Bus session, so no secret service</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Partita: a desktop tool for Kafka clusters.</source>
        <translation>Partita: ein Desktop-Werkzeug für Kafka-Cluster.</translation>
    </message>
    <message>
        <source>Connect to this cluster instead of the local one.</source>
        <translation>Mit diesem Cluster statt dem lokalen verbinden.</translation>
    </message>
    <message>
        <source>host:port</source>
        <translation>Host:Port</translation>
    </message>
    <message>
        <source>Create demo topics, records and a group once connected.</source>
        <translation>Nach dem Verbinden Demo-Topics, -Nachrichten und eine Gruppe anlegen.</translation>
    </message>
    <message>
        <source>Print timestamps of the start (ms since the process began) to stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit as soon as the first cluster&apos;s data is shown (for benchmarks).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::app::AppWiring</name>
    <message>
        <source>Start &amp;local cluster</source>
        <translation>&amp;Lokalen Cluster starten</translation>
    </message>
    <message>
        <source>Local cluster</source>
        <translation>Lokaler Cluster</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>Prozesse</translation>
    </message>
    <message>
        <source>The local cluster could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local broker %1 crashed (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample data: %1 (%2/%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample data created</source>
        <translation>Beispieldaten angelegt</translation>
    </message>
    <message>
        <source>Sample data failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::app::LocalCluster</name>
    <message>
        <source>Cannot create the data directory %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no broker %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No free port between %1 and %2 for broker %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting %1 on port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still running %1 s after SIGTERM: killing it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the local cluster before deleting its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refusing to delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not delete all of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed by signal %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partitad %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not start %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adopted partitad (pid %1) left running on port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited; its exit status is unknown since it was started detached</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::app::SampleData</name>
    <message>
        <source>Creating topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not list topics: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the topics: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Producing records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new topics did not become available: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create a producer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not produce: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committing offsets of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not commit the offsets of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::app::SavedClusters</name>
    <message>
        <source>The password of %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client key&apos;s password for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>
(kept until Partita quits: no keychain is available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This cluster has no saved connection settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove cluster</source>
        <translation type="unfinished">Cluster entfernen</translation>
    </message>
    <message>
        <source>Only saved connections can be removed. The local cluster is stopped from its Processes panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the connection to %1? The cluster itself is not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::BrokerModel</name>
    <message>
        <source>Controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host:Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partitions led</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log dir size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::ClusterSession</name>
    <message>
        <source>The cluster did not answer.</source>
        <translation>Der Cluster hat nicht geantwortet.</translation>
    </message>
    <message>
        <source>no connection to the cluster</source>
        <translation>keine Verbindung zum Cluster</translation>
    </message>
</context>
<context>
    <name>partita::models::ConfigModel</name>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>static broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dynamic broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dynamic default broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>broker logger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified, not applied yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The broker described no configs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::ConnectionStore</name>
    <message>
        <source>the keychain did not answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::ConnectionTest</name>
    <message>
        <source>DNS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TCP connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SASL authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, cluster id %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: 1 broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: %1 brokers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::GroupLagModel</name>
    <message>
        <source>Topic</source>
        <translation type="unfinished">Topic</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committed offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group&apos;s lag could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::GroupModel</name>
    <message>
        <source>Group ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Protocol type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coordinator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topics</source>
        <translation type="unfinished">Topics</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::OffsetResetPlan</name>
    <message>
        <source>Topic</source>
        <translation type="unfinished">Topic</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lag after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no offset reset plan to apply yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan has no partition with a new offset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group could not be described.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The group &apos;%1&apos; is not empty: it has %n active member(s) (state %2). Offsets can only be reset while no consumer of the group runs.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>partita::models::PartitionModel</name>
    <message numerus="yes">
        <source>%n partition(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n under-replicated</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offline</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline: no replica is leading this partition.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Under-replicated: not every replica is in sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replicas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ISR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline replicas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::RefreshJob</name>
    <message>
        <source>Log dir sizes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offsets: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Offsets of %n partition(s): %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Broker %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::TopicModel</name>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replication factor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Under-replicated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::models::TopicOperations</name>
    <message>
        <source>The broker did not answer for the topic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection to the cluster.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::AddPartitionsDialog</name>
    <message>
        <source>Add partitions to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records with a key may go to another partition afterwards: ordering per key holds only from now on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current partitions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;total:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add partitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::BrokerConfigsPanel</name>
    <message>
        <source>Broker configs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to a cluster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a broker to see its configs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Configs of broker %1&lt;/b&gt; — read-only entries need a restart to change; a broker that cannot change a config at runtime says so when you apply.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::ClusterWorkspace</name>
    <message>
        <source>Brokers</source>
        <translation>Broker</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Topics</translation>
    </message>
    <message>
        <source>Consumer groups</source>
        <translation>Consumergruppen</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>Noch keine Daten</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verbindung verloren</translation>
    </message>
    <message>
        <source>Lost: %1</source>
        <translation>Verbindung verloren: %1</translation>
    </message>
    <message>
        <source>%1 (lost)</source>
        <translation>%1 (getrennt)</translation>
    </message>
    <message>
        <source>Brokers: %1</source>
        <translation>Broker: %1</translation>
    </message>
    <message>
        <source> (%1 unreachable)</source>
        <translation> (%1 nicht erreichbar)</translation>
    </message>
    <message>
        <source> · Under-replicated: %1 · Offline: %2</source>
        <translation> · Unterrepliziert: %1 · Offline: %2</translation>
    </message>
    <message>
        <source>Brokers (%1)</source>
        <translation>Broker (%1)</translation>
    </message>
    <message>
        <source>Topics (%1)</source>
        <translation>Topics (%1)</translation>
    </message>
    <message>
        <source>Consumer groups (%1)</source>
        <translation>Consumergruppen (%1)</translation>
    </message>
</context>
<context>
    <name>partita::ui::ConfigEditor</name>
    <message>
        <source>Show only overrides</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset to default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter configs by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected overrides so the default applies again (on Apply)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the configs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Apply (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Changes applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The broker refused %n change(s); they are kept so you can correct them:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>partita::ui::ConnectionDialog</name>
    <message>
        <source>Cluster connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kafka-1.example.com:9092,kafka-2.example.com:9092</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Bootstrap servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Security protocol:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SASL &amp;mechanism:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sasl.password: kept in the system keychain, never in the settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System CA certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CA file (PEM):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client c&amp;ertificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advanced client properties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Property</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import .properties…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Kafka client properties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Properties files (*.properties *.conf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>–  %1: not run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a PEM file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import .properties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot import %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the fields marked in red first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>…  %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::CreateTopicDialog</name>
    <message>
        <source>Enter a topic name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A topic cannot be named &quot;.&quot; or &quot;..&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is %1 characters long; Kafka allows at most %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only letters a-z and A-Z, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; are allowed (not: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A topic named &quot;%1&quot; already exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. orders.v1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most the number of brokers (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Partitions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replication factor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configs left out take the broker&apos;s defaults. The broker checks everything before the topic is created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collides with the existing topic &quot;%1&quot;: Kafka treats &apos;.&apos; and &apos;_&apos; alike in metric names, so the broker may refuse it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The broker refused:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking with the broker…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whitespace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::DeleteTopicDialog</name>
    <message>
        <source>Delete topic %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting &lt;b&gt;%1&lt;/b&gt; removes all its records and its configs; this cannot be undone. Producers and consumers of it will fail.&lt;br&gt;&lt;br&gt;Type the topic name to confirm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::GroupPanel</name>
    <message>
        <source>Refresh</source>
        <translation type="unfinished">Aktualisieren</translation>
    </message>
    <message>
        <source>Reset offsets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the group and its committed offsets (only an inactive group)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the group&apos;s committed offsets (only an inactive group)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not delete the group: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the lag: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (refreshing…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No committed offsets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total lag: %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete consumer group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the consumer group &quot;%1&quot; and all its committed offsets?
The broker refuses while the group has active members.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::GroupsPanel</name>
    <message>
        <source>Filter groups by ID</source>
        <translation>Gruppen nach ID filtern</translation>
    </message>
</context>
<context>
    <name>partita::ui::LocalClusterPanel</name>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Startet…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Stoppt…</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>Abgestürzt</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <source>&amp;Restart broker</source>
        <translation>Broker &amp;neu starten</translation>
    </message>
    <message>
        <source>&amp;Wipe data…</source>
        <translation>Daten &amp;löschen…</translation>
    </message>
    <message>
        <source>Create s&amp;ample data</source>
        <translation>&amp;Beispieldaten anlegen</translation>
    </message>
    <message>
        <source>&amp;Keep running when Partita quits</source>
        <translation>&amp;Weiterlaufen lassen, wenn Partita beendet wird</translation>
    </message>
    <message>
        <source>Applies to brokers started from now on: they run on after Partita quits, and the next start of Partita adopts them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates the topics user-events, orders and users (compacted) with realistic records, and a consumer group order-service with some lag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broker</source>
        <translation>Broker</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Last exit</source>
        <translation>Letztes Ende</translation>
    </message>
    <message>
        <source>The selected broker&apos;s output appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data: %1</source>
        <translation>Daten: %1</translation>
    </message>
    <message>
        <source>Deletes every topic and record of the local cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the local cluster first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe the local cluster</source>
        <translation>Lokalen Cluster löschen</translation>
    </message>
    <message>
        <source>Delete every topic, record, consumer group and setting of the local cluster?

This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::MainWindow</name>
    <message>
        <source>Partita</source>
        <translation>Partita</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Refresh the current cluster now</source>
        <translation>Den aktuellen Cluster jetzt aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <source>&amp;Add cluster…</source>
        <translation>Cluster &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <source>&amp;Edit connection…</source>
        <translation>Verbindung &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Re&amp;move cluster</source>
        <translation>Cluster &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Go to…</source>
        <translation>&amp;Gehe zu…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Brokers</source>
        <translation>&amp;Broker</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Topics</source>
        <translation>&amp;Topics</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Consumer groups</source>
        <translation>&amp;Consumergruppen</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <source>Close &amp;tab</source>
        <translation>Tab &amp;schließen</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Edit connection…</source>
        <translation>Verbindung bearbeiten…</translation>
    </message>
    <message>
        <source>Remove cluster</source>
        <translation>Cluster entfernen</translation>
    </message>
    <message>
        <source>Brokers</source>
        <translation>Broker</translation>
    </message>
    <message>
        <source>Topics</source>
        <translation>Topics</translation>
    </message>
    <message>
        <source>Consumer groups</source>
        <translation>Consumergruppen</translation>
    </message>
    <message>
        <source>Partitions: %1</source>
        <translation>Partitionen: %1</translation>
    </message>
    <message>
        <source>Group: %1</source>
        <translation>Gruppe: %1</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Partita — %1</source>
        <translation>Partita — %1</translation>
    </message>
    <message>
        <source>No cluster</source>
        <translation>Kein Cluster</translation>
    </message>
    <message>
        <source>T&amp;heme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>Wie das &amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source> — %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::PartitionsPanel</name>
    <message>
        <source>Topic %1: %2</source>
        <translation>Topic %1: %2</translation>
    </message>
</context>
<context>
    <name>partita::ui::QuickSwitcher</name>
    <message>
        <source>Panel</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>Consumer group</source>
        <translation>Consumergruppe</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Go to panel, topic, consumer group or cluster…</source>
        <translation>Gehe zu Ansicht, Topic, Consumergruppe oder Cluster…</translation>
    </message>
</context>
<context>
    <name>partita::ui::ResetOffsetsDialog</name>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset offsets — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earliest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To date/time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strategy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offset / shift:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date/time (local):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Preview of %n partition(s). Apply commits the new offsets.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not build the plan: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new offsets were committed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reset the offsets: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift (negative goes back)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committing the new offsets…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::TopicConfigDialog</name>
    <message>
        <source>Configs of topic %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: bold values differ from Kafka&apos;s defaults; edited values are shown in italics until you apply them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the cluster.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>partita::ui::TopicsPanel</name>
    <message>
        <source>Show internal topics</source>
        <translation>Interne Topics anzeigen</translation>
    </message>
    <message>
        <source>Filter topics by name</source>
        <translation>Topics nach Namen filtern</translation>
    </message>
    <message>
        <source>New topic…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add partitions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a topic (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected topic (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add partitions to the selected topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show and edit the selected topic&apos;s configs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete every record of the selected topic, keeping the topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic %1 created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic %1 deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purge topic %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete every record of &lt;b&gt;%1&lt;/b&gt; up to its current end?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic, its partitions and configs stay; consumers start from the new end. Records produced from now on are kept. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purging %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic %1 purged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not purge %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
