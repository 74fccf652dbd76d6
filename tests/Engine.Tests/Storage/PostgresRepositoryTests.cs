using CimLite.Storage.Postgres;
using CimLite.Testing;
using CimLite.Tests.TestUtilities;
using Npgsql;

namespace CimLite.Tests.Storage;

/// <summary>
/// What only the PostgreSQL backend has (issue 18): the repository's schema (created on first use, refused when it holds
/// something else or a newer format, unchanged then), read-only sessions, the busy timeout against another client's
/// locks, and two clients at once keeping WMI's rules (one creator wins; no update is lost: serialization failures are
/// retried as whole transactions). The rules themselves are proven by the per-backend tests (TestBackends.All).
/// </summary>
public sealed class PostgresRepositoryTests : IDisposable
{
    private readonly List<PostgresTestSchema> _schemas = new();

    public void Dispose()
    {
        foreach (var schema in _schemas) schema.Dispose();
    }

    private PostgresTestSchema NewSchema()
    {
        var schema = PostgresServer.Shared.NewSchema();
        _schemas.Add(schema);
        return schema;
    }

    private static object? Scalar(PostgresTestSchema schema, string sql)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Every relation of the schema with its row count: what "unchanged" compares.</summary>
    private static string Contents(PostgresTestSchema schema)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        connection.Open();
        var tables = new List<string>();
        using (var command = new NpgsqlCommand("SELECT c.relname::text, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 ORDER BY 1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema.Name });
            using var reader = command.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0) + ":" + reader.GetString(1));
        }
        var lines = new List<string>();
        foreach (var t in tables)
        {
            var name = t.Split(':')[0];
            if (t.EndsWith(":r", StringComparison.Ordinal))
            {
                using var rows = new NpgsqlCommand("SELECT string_agg(x::text, '|' ORDER BY x::text) FROM \"" + name + "\" x", connection);
                lines.Add(t + "=" + rows.ExecuteScalar());
            }
            else lines.Add(t);
        }
        return string.Join("\n", lines);
    }

    [PostgresFact]
    public void The_format_numbers_the_same_features_as_SQLite()
    {
        // The engine checks formats by number (the reference index is format 6 and later): a SQLite migration must
        // come with the same change here, and this fails until it does.
        Assert.Equal(CimLite.Storage.RepositorySchema.FormatVersion, PostgresSchema.FormatVersion);
    }

    [PostgresFact]
    public void The_public_OpenServer_opens_through_the_backend_assembly_and_never_names_the_password()
    {
        var schema = NewSchema();
        const string secret = "Zq9EngineSecret";
        using (var session = CimLiteSession.OpenServer(schema.ConnectionString + ";Password=" + secret))
        {
            SessionFixture.Class(session, "Disk").Key("Id").Create();
            session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:" }));
            Assert.Matches(@"^127\.0\.0\.1:\d+/postgres, schema cimlite_t_[0-9a-f]{16}$", session.Path);
            Assert.Equal(session.Path, session.ToString());
            Assert.False(session.IsInMemory);
        }
        using (var reader = CimLiteSession.OpenServer(schema.ConnectionString, new CimLiteSessionOptions { ReadOnly = true }))
        {
            Assert.True(reader.IsReadOnly);
            Assert.Single(reader.EnumerateInstances("Disk"));
            Assert.Equal(CimStatus.AccessDenied, Assert.Throws<CimLiteException>(() => reader.DeleteInstance(InstancePath.Parse("Disk.Id=\"C:\""))).Status);
        }
        // The server does not answer: FAILED, naming the server, not the password.
        var unreachable = Assert.Throws<CimLiteException>(() => CimLiteSession.OpenServer("Host=127.0.0.1;Port=1;Timeout=3;Username=u;Password=" + secret));
        Assert.Equal(CimStatus.Failed, unreachable.Status);
        Assert.Contains("127.0.0.1:1", unreachable.Message);
        Assert.DoesNotContain(secret, unreachable.ToString());
        var malformed = Assert.Throws<CimLiteException>(() => CimLiteSession.OpenServer("Password=" + secret + ";Port=abc"));
        Assert.Equal(CimStatus.InvalidParameter, malformed.Status);
        Assert.DoesNotContain(secret, malformed.ToString());
        Assert.Throws<ArgumentException>(() => CimLiteSession.OpenServer(" "));
    }

    [PostgresFact]
    public void A_new_schema_is_created_with_its_tables_and_reopened_as_the_same_repository()
    {
        var schema = NewSchema();
        Assert.False(schema.Exists());
        using (var session = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            Assert.True(schema.Exists());
            SessionFixture.Class(session, "Disk").Key("Id").Prop("Size", "uint64").Create();
            session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 5UL }));
            Assert.EndsWith(", schema " + schema.Name, session.Path, StringComparison.Ordinal);
        }
        Assert.Equal("8", Scalar(schema, "SELECT value FROM cimlite_format WHERE name = 'format'"));
        using (var again = PostgresBackend.OpenSession(schema.ConnectionString))
            Assert.Equal(5UL, again.GetInstance(InstancePath.Parse("Disk.Id=\"C:\""))["Size"]);
    }

    [PostgresFact]
    public void A_schema_holding_a_table_of_another_application_is_refused_unchanged()
    {
        var schema = NewSchema();
        PostgresServer.Shared.Scalar("CREATE SCHEMA \"" + schema.Name + "\"");
        PostgresServer.Shared.Scalar("CREATE TABLE \"" + schema.Name + "\".orders(id int PRIMARY KEY, what text)");
        PostgresServer.Shared.Scalar("INSERT INTO \"" + schema.Name + "\".orders VALUES (1, 'x')");
        var before = Contents(schema);
        var ex = Assert.Throws<CimLiteException>(() => PostgresBackend.OpenSession(schema.ConnectionString));
        SessionFixture.AssertStatus(ex, CimStatus.Failed, "is not a CimLite repository", "orders");
        Assert.Equal(before, Contents(schema));
    }

    [PostgresFact]
    public void A_trigger_or_function_added_to_a_repository_makes_it_refused()
    {
        var schema = NewSchema();
        using (PostgresBackend.OpenSession(schema.ConnectionString)) { }
        PostgresServer.Shared.Scalar("CREATE FUNCTION \"" + schema.Name + "\".spy() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$");
        PostgresServer.Shared.Scalar("CREATE TRIGGER spy BEFORE INSERT ON \"" + schema.Name + "\".instances FOR EACH ROW EXECUTE FUNCTION \"" + schema.Name + "\".spy()");
        var before = Contents(schema);
        var ex = Assert.Throws<CimLiteException>(() => PostgresBackend.OpenSession(schema.ConnectionString));
        SessionFixture.AssertStatus(ex, CimStatus.Failed, "which CimLite did not create", "spy");
        Assert.Equal(before, Contents(schema));
    }

    [PostgresFact]
    public void A_newer_format_is_refused_unchanged()
    {
        var schema = NewSchema();
        using (PostgresBackend.OpenSession(schema.ConnectionString)) { }
        Scalar(schema, "UPDATE cimlite_format SET value = '99' WHERE name = 'format'");
        var before = Contents(schema);
        var ex = Assert.Throws<CimLiteException>(() => PostgresBackend.OpenSession(schema.ConnectionString));
        SessionFixture.AssertStatus(ex, CimStatus.Failed, "format 99", "up to 8");
        Assert.Equal(before, Contents(schema));
    }

    [PostgresFact]
    public void A_format_7_schema_without_target_id_hints_is_used_as_it_is_and_follows_associations()
    {
        var schema = NewSchema();
        using (PostgresBackend.OpenSession(schema.ConnectionString)) { }
        Scalar(schema, "ALTER TABLE instance_references DROP COLUMN target_id");
        Scalar(schema, "UPDATE cimlite_format SET value = '7' WHERE name = 'format'");
        using (var session = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            MigrationTests.Linked(session, "d1");
            Assert.Equal("d1", Assert.Single(session.GetAssociatedInstances(InstancePath.Parse("Sys.Name=\"host\"")))["Id"]);
        }
        Assert.Equal("7", Scalar(schema, "SELECT value FROM cimlite_format WHERE name = 'format'"));
    }

    [PostgresFact]
    public void A_read_only_session_reads_refuses_writes_and_cannot_create_a_repository()
    {
        var schema = NewSchema();
        var empty = Assert.Throws<CimLiteException>(() => PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { ReadOnly = true }));
        SessionFixture.AssertStatus(empty, CimStatus.Failed, "read-only session cannot create");
        Assert.False(schema.Exists());
        using (var writer = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            SessionFixture.Class(writer, "Disk").Key("Id").Create();
            writer.PutInstance(writer.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:" }));
        }
        using var reader = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { ReadOnly = true });
        Assert.True(reader.IsReadOnly);
        Assert.Single(reader.EnumerateInstances("Disk"));
        var before = SessionFixture.Snapshot(reader);
        SessionFixture.Fails(reader, CimStatus.AccessDenied, () => reader.PutInstance(reader.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "D:" })), "read-only");
        Assert.Equal(before, SessionFixture.Snapshot(reader));
    }

    [Theory]
    [InlineData(null, "cimlite")]
    [InlineData("", "cimlite")]
    [InlineData("Inventory", "inventory")]
    [InlineData(" inv_2 , public", "inv_2")]
    [InlineData("\"Inventory$A\", public", "Inventory$A")]
    public void The_schema_is_the_first_of_the_search_path(string? searchPath, string schema)
    {
        Assert.Equal(schema, PostgresRepository.SchemaOf(searchPath));
    }

    [Theory]
    [InlineData("\"a\"\"; DROP SCHEMA public CASCADE; --\"")]
    [InlineData("\"with space\"")]
    [InlineData("1abc")]
    [InlineData("\"0123456789012345678901234567890123456789012345678901234567890123\"")]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused(string searchPath)
    {
        var ex = Assert.Throws<CimLiteException>(() => PostgresRepository.SchemaOf(searchPath));
        SessionFixture.AssertStatus(ex, CimStatus.InvalidParameter, "cannot name the repository's schema");
    }

    [PostgresFact]
    public void The_password_never_appears_in_what_the_session_reports()
    {
        var schema = NewSchema();
        var withPassword = new NpgsqlConnectionStringBuilder(schema.ConnectionString) { Password = "s3cret-pa55" }.ConnectionString;
        using var session = PostgresBackend.OpenSession(withPassword);
        Assert.DoesNotContain("s3cret", session.Path);
        var ex = Assert.Throws<CimLiteException>(() => session.GetInstance(InstancePath.Parse("NoSuchClass.Id=1")));
        Assert.DoesNotContain("s3cret", ex.ToString());
    }

    [PostgresFact]
    public void A_put_waiting_for_another_clients_lock_fails_as_busy_after_the_timeout_with_nothing_written()
    {
        var schema = NewSchema();
        using var session = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromMilliseconds(700) });
        SessionFixture.Class(session, "Disk").Key("Id").Prop("Size", "uint64").Create();
        session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 1UL }));
        var before = SessionFixture.Snapshot(session);
        using (var other = new NpgsqlConnection(schema.ConnectionString))
        {
            other.Open();
            using var tx = other.BeginTransaction();
            using (var lockRow = new NpgsqlCommand("SELECT id FROM instances FOR UPDATE", other, tx)) lockRow.ExecuteNonQuery();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = Assert.Throws<CimLiteException>(() => session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 2UL })));
            SessionFixture.AssertStatus(ex, CimStatus.Failed, "is busy");
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(600), "gave up after " + watch.Elapsed);
            tx.Rollback();
        }
        Assert.Equal(before, SessionFixture.Snapshot(session));
        session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 2UL }));
        Assert.Equal(2UL, session.GetInstance(InstancePath.Parse("Disk.Id=\"C:\""))["Size"]);
    }

    [PostgresFact]
    public void Interrupt_stops_a_put_waiting_for_a_lock_rolls_it_back_and_leaves_the_session_usable()
    {
        var schema = NewSchema();
        using var session = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(60) });
        SessionFixture.Class(session, "Disk").Key("Id").Prop("Size", "uint64").Create();
        session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 1UL }));
        var before = SessionFixture.Snapshot(session);
        using (var other = new NpgsqlConnection(schema.ConnectionString))
        {
            other.Open();
            using var tx = other.BeginTransaction();
            using (var lockRow = new NpgsqlCommand("SELECT id FROM instances FOR UPDATE", other, tx)) lockRow.ExecuteNonQuery();
            var stopper = new Thread(() =>
            {
                Thread.Sleep(500);
                session.Interrupt();
            });
            stopper.Start();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ex = Assert.Throws<CimLiteException>(() => session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 2UL })));
            stopper.Join();
            SessionFixture.AssertStatus(ex, CimStatus.Failed, "was stopped");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "stopped only after " + watch.Elapsed);
            tx.Rollback();
        }
        Assert.Equal(before, SessionFixture.Snapshot(session));
        session.Interrupt(); // idle: nothing happens
        session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "C:", ["Size"] = 3UL }));
        Assert.Equal(3UL, session.GetInstance(InstancePath.Parse("Disk.Id=\"C:\""))["Size"]);
    }

    [PostgresFact]
    public void Two_clients_creating_the_same_keys_at_once_one_wins_each_and_the_other_gets_already_exists()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
            SessionFixture.Class(setup, "Disk").Key("Id").Prop("Owner", "string").Create();
        const int keys = 60;
        var created = new int[2];
        var refused = new int[2];
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, 2).Select(client => new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString);
                for (int k = 0; k < keys; k++)
                {
                    try
                    {
                        session.PutInstance(session.NewInstance("Disk", new Dictionary<string, object?> { ["Id"] = "K" + k, ["Owner"] = "client" + client }),
                            new PutOptions { Mode = PutMode.CreateOnly });
                        created[client]++;
                    }
                    catch (CimLiteException e) when (e.Status == CimStatus.AlreadyExists)
                    {
                        refused[client]++;
                    }
                }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        Assert.Equal(keys, created[0] + created[1]);
        Assert.Equal(keys, refused[0] + refused[1]);
        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        Assert.Equal(keys, check.EnumerateInstances("Disk").Count());
    }

    [PostgresFact]
    public void Two_clients_updating_different_properties_of_one_instance_lose_no_update()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            SessionFixture.Class(setup, "Counter").Key("Id").Prop("A", "uint32").Prop("B", "uint32").Create();
            setup.PutInstance(setup.NewInstance("Counter", new Dictionary<string, object?> { ["Id"] = "x", ["A"] = 0u, ["B"] = 0u }));
        }
        const int rounds = 40;
        var errors = new List<Exception>();
        var threads = new[] { "A", "B" }.Select(property => new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(30) });
                for (uint i = 1; i <= rounds; i++)
                    session.PutInstance(session.NewInstance("Counter", new Dictionary<string, object?> { ["Id"] = "x", [property] = i }),
                        new PutOptions { Mode = PutMode.UpdateOnly, PropertyList = new[] { property } });
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        var final = check.GetInstance(InstancePath.Parse("Counter.Id=\"x\""));
        Assert.Equal((uint)rounds, final["A"]);
        Assert.Equal((uint)rounds, final["B"]);
    }

    [PostgresFact]
    public void Leases_belong_to_the_clients_server_connection_and_go_to_the_next_reader_when_it_dies()
    {
        var schema = NewSchema();
        var a = PostgresBackend.OpenSession(schema.ConnectionString);
        try
        {
            SessionFixture.Class(a, "Evt").Indication().Prop("Text", "string").Create();
            for (int i = 0; i < 3; i++) a.PostIndication(a.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "e" + i }));
            var lease = a.LeasePosted();
            Assert.Equal(3, lease.Items.Count);
            using var b = PostgresBackend.OpenSession(schema.ConnectionString);
            // The same process holds both: only the connection tells them apart. A's connection is open: its lease stands.
            Assert.Empty(b.ReceivePosted().ToList());
            // The server ends A's connection, as it does for a client that crashed or lost the network.
            Assert.Equal(true, PostgresServer.Shared.Scalar("SELECT pg_terminate_backend(" + a.Postgres()!.BackendProcessId + ", 10000)"));
            Assert.Equal(new[] { "e0", "e1", "e2" }, b.ReceivePosted().Select(p => (string)p.Instance["Text"]!).ToArray());
            Assert.Empty(b.ReceivePosted().ToList());
            try { lease.Dispose(); } catch (CimLiteException) { } // its connection is gone: nothing to release
        }
        finally
        {
            a.Dispose();
        }
    }

    [PostgresFact]
    public void A_database_not_encoded_in_UTF8_is_refused_unchanged()
    {
        var database = "cimlite_latin1_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        PostgresServer.Shared.Scalar("CREATE DATABASE " + database + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.Shared.ConnectionString) { Database = database, Pooling = false }.ConnectionString;
            var ex = Assert.Throws<CimLiteException>(() => PostgresBackend.OpenSession(connectionString));
            SessionFixture.AssertStatus(ex, CimStatus.Failed, "LATIN1", "needs UTF8", "/" + database + ", schema cimlite");
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT count(*) FROM pg_namespace WHERE nspname = 'cimlite'", connection);
            Assert.Equal(0L, command.ExecuteScalar());
        }
        finally
        {
            PostgresServer.Shared.Scalar("DROP DATABASE " + database + " WITH (FORCE)");
        }
    }

    [PostgresFact]
    public void Repository_care_answers_not_supported_and_changes_nothing()
    {
        var schema = NewSchema();
        using var session = PostgresBackend.OpenSession(schema.ConnectionString);
        var before = SessionFixture.Snapshot(session);
        var care = Assert.Throws<CimLiteException>(() => CimLiteRepository.Check(session));
        SessionFixture.AssertStatus(care, CimStatus.NotSupported, "Repository care", session.Path);
        Assert.Equal(before, SessionFixture.Snapshot(session));
    }

    [PostgresFact]
    public void A_what_if_MOF_import_checks_against_what_the_server_stores_and_writes_nothing()
    {
        var schema = NewSchema();
        using var session = PostgresBackend.OpenSession(schema.ConnectionString);
        SessionFixture.Class(session, "Existing").Key("Id").Prop("Size", "uint32").Create();
        session.PutInstance(session.NewInstance("Existing", new Dictionary<string, object?> { ["Id"] = "a", ["Size"] = 1u }));
        var before = SessionFixture.Snapshot(session);

        var ok = session.ImportMofText("class Probe { [Key] string Id; }; instance of Existing { Id = \"b\"; Size = 2; };", options: new MofImportOptions { WhatIf = true });
        Assert.False(ok.Committed);
        Assert.Equal(before, SessionFixture.Snapshot(session));

        // The what-if run sees the stored class: changing it without Force is refused there, as a real import would be.
        var clash = Assert.ThrowsAny<CimLiteException>(() => session.ImportMofText("class Existing { [Key] string Id; string Other; };", options: new MofImportOptions { WhatIf = true }));
        Assert.Equal(CimStatus.AlreadyExists, clash.Status);
        Assert.Equal(before, SessionFixture.Snapshot(session));

        using var reader = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { ReadOnly = true });
        Assert.False(reader.ImportMofText("class Probe2 { [Key] string Id; };", options: new MofImportOptions { WhatIf = true }).Committed);
        Assert.Equal(before, SessionFixture.Snapshot(session));
    }

    [PostgresFact]
    public void Clients_changing_classes_at_once_all_succeed_serialization_failures_are_retried()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
            SessionFixture.Class(setup, "Gone").Key("Id").Create();
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, 4).Select(client => new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString, new CimLiteSessionOptions { BusyTimeout = TimeSpan.FromSeconds(60) });
                for (int i = 0; i < 12; i++) SessionFixture.Class(session, "C" + client + "_" + i).Key("Id").Create();
                session.ImportMofText("class M" + client + " { [Key] string Id; };");
                if (client == 0) session.DeleteClass("Gone");
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message)));
        using var check = PostgresBackend.OpenSession(schema.ConnectionString);
        var names = check.GetClasses().Select(c => c.ClassName).ToList();
        Assert.Equal(4 * 13, names.Count(n => n.StartsWith("C", StringComparison.Ordinal) || n.StartsWith("M", StringComparison.Ordinal)));
        Assert.DoesNotContain("Gone", names);
    }

    [PostgresFact]
    public void Many_readers_while_a_writer_posts_receive_each_indication_exactly_once_without_errors()
    {
        var schema = NewSchema();
        using (var setup = PostgresBackend.OpenSession(schema.ConnectionString))
        {
            SessionFixture.Class(setup, "Evt").Indication().Prop("Text", "string").Create();
            for (int i = 0; i < 200; i++) setup.PostIndication(setup.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "e" + i }));
        }
        var errors = new List<Exception>();
        var received = new List<string>();
        int posting = 1;
        var writer = new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString);
                for (int i = 200; i < 300; i++) session.PostIndication(session.NewInstance("Evt", new Dictionary<string, object?> { ["Text"] = "e" + i }));
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
            finally
            {
                Volatile.Write(ref posting, 0);
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            try
            {
                using var session = PostgresBackend.OpenSession(schema.ConnectionString);
                while (true)
                {
                    bool writerDone = Volatile.Read(ref posting) == 0;
                    var batch = session.ReceivePosted(new ReceiveOptions { First = 7 }).Select(p => (string)p.Instance["Text"]!).ToList();
                    lock (received) received.AddRange(batch);
                    if (batch.Count == 0 && writerDone) break;
                }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        writer.Start();
        readers.ForEach(t => t.Start());
        writer.Join();
        readers.ForEach(t => t.Join());
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message)));
        Assert.Equal(300, received.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "e" + i).OrderBy(x => x), received.OrderBy(x => x));
    }

    [PostgresFact]
    public void Keys_and_values_with_NUL_and_lone_surrogates_round_trip()
    {
        var schema = NewSchema();
        using var session = PostgresBackend.OpenSession(schema.ConnectionString);
        SessionFixture.Class(session, "Odd").Key("Id").Prop("Text", "string").Create();
        var keys = new[] { "a\0b", "\ud800x", "back\\slash", "x\udc00", "\0" };
        foreach (var key in keys)
            session.PutInstance(session.NewInstance("Odd", new Dictionary<string, object?> { ["Id"] = key, ["Text"] = key + "\0\ud800" }));
        foreach (var key in keys)
        {
            var path = new InstancePath("root/cimv2", "Odd", new Dictionary<string, object> { ["Id"] = key });
            var found = session.GetInstance(path);
            Assert.Equal(key, found["Id"]);
            Assert.Equal(key + "\0\ud800", found["Text"]);
        }
        // Conditions read the stored values as json (which keeps \u0000 and \ud800 escapes as written).
        Assert.Equal(keys.Length, session.ExecQuery("SELECT * FROM Odd WHERE Text IS NOT NULL").Count());
        Assert.Single(session.ExecQuery("SELECT * FROM Odd WHERE Id = 'back\\slash'"));
        foreach (var key in keys) Assert.Equal(key, PostgresKeys.Read(PostgresKeys.Stored(key)));
        Assert.NotEqual(PostgresKeys.Stored("\\0"), PostgresKeys.Stored("\0"));
    }
}
