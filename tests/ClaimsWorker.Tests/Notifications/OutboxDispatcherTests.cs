using ClaimsOffice.Database.Notifications;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.Notifications;

namespace ClaimsOffice.Worker.Tests.Notifications;

public sealed class OutboxDispatcherTests
{
    private static async Task EnqueueAsync(TestDatabase db, OutboxMessage message)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();
        await new OutboxRepository(db.Connections).EnqueueAsync(message, tx, CancellationToken.None);
        await tx.CommitAsync();
    }

    private static OutboxMessage Message(long customerId, string channel, string key, DateTimeOffset now) => new()
    {
        Channel = channel,
        Recipient = channel == NotificationChannels.InApp ? $"customer:{customerId}" : "+819012345678",
        CustomerId = customerId,
        Subject = $"Subject {key}",
        Body = $"Body {key}",
        DedupeKey = key,
        CreatedAt = now,
    };

    [DatabaseTheory]
    public async Task An_in_app_message_lands_in_the_inbox_once_even_when_dispatched_twice(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var first = EngineHost.Create(db, clock);
        await using var second = EngineHost.Create(db, clock);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, "claim:1:paid", clock.GetUtcNow()));
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, "claim:1:paid", clock.GetUtcNow()));

        // Two dispatchers on two nodes pick up the same due message at once.
        var delivered = await Task.WhenAll(
            Task.Run(() => first.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None)),
            Task.Run(() => second.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None)));
        // A crash after delivery but before marking it: the message is due again and redelivered.
        await db.ExecuteAsync("UPDATE outbox_messages SET delivered_at = NULL");
        clock.Advance(TimeSpan.FromSeconds(1));
        var redelivered = await first.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);

        Assert.True(delivered.Sum() >= 1);
        Assert.Equal(1, redelivered);
        var inbox = await first.GetRequiredService<InboxRepository>().ListAsync(customer.Id, 10, CancellationToken.None);
        var message = Assert.Single(inbox);
        Assert.Equal("Subject claim:1:paid", message.Subject);
        Assert.Equal("Body claim:1:paid", message.Body);
        var outbox = Assert.Single(await first.GetRequiredService<OutboxRepository>().ListForCustomerAsync(customer.Id, CancellationToken.None));
        Assert.NotNull(outbox.DeliveredAt);
        Assert.Null(outbox.LastError);
        Assert.Equal(0, await first.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task A_message_for_a_channel_without_a_sender_waits_with_its_error_and_is_retried_later(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var dispatcher = host.GetRequiredService<OutboxDispatcher>();
        var outbox = host.GetRequiredService<OutboxRepository>();
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.Sms, "sign-in-code:1", clock.GetUtcNow()));
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, "claim:2:received", clock.GetUtcNow()));

        var delivered = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(1, delivered);
        var sms = Assert.Single(await outbox.ListForCustomerAsync(customer.Id, CancellationToken.None), m => m.Channel == NotificationChannels.Sms);
        Assert.Null(sms.DeliveredAt);
        Assert.Equal(1, sms.Attempts);
        Assert.True(sms.NextAttemptAt > clock.GetUtcNow(), $"next attempt {sms.NextAttemptAt:O} should be after {clock.GetUtcNow():O}");
        Assert.Equal("No 'sms' channel is configured on this node.", sms.LastError);
        Assert.Single(await host.GetRequiredService<InboxRepository>().ListAsync(customer.Id, 10, CancellationToken.None));

        // Not due yet: nothing happens.
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(1, (await outbox.ListForCustomerAsync(customer.Id, CancellationToken.None)).Single(m => m.Channel == NotificationChannels.Sms).Attempts);

        // Due again: tried again, still not delivered, waits longer.
        var firstWait = sms.NextAttemptAt - clock.GetUtcNow();
        clock.Advance(firstWait);
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        var retried = (await outbox.ListForCustomerAsync(customer.Id, CancellationToken.None)).Single(m => m.Channel == NotificationChannels.Sms);
        Assert.Equal(2, retried.Attempts);
        Assert.Null(retried.DeliveredAt);
        Assert.True(retried.NextAttemptAt - clock.GetUtcNow() > firstWait, "the second wait should be longer than the first");
    }

    [DatabaseTheory]
    public async Task More_messages_than_one_batch_are_all_delivered_in_one_run_each_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        var count = OutboxDispatcher.BatchSize + 50;
        for (var i = 0; i < count; i++)
        {
            await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, $"claim:{i}:received", clock.GetUtcNow()));
        }

        Assert.Equal(count, await host.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None));

        Assert.Equal(count, await db.CountAsync("inbox_messages", "customer_id = @id", new { id = customer.Id }));
        Assert.Equal(count, await db.CountAsync("outbox_messages", "delivered_at IS NOT NULL AND attempts = 1"));
        Assert.Equal(0, await host.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task One_undeliverable_message_in_a_batch_waits_alone_and_the_others_are_delivered(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var clock = new FixedClock();
        await using var host = EngineHost.Create(db, clock);
        var customer = await new CustomerBuilder().InsertAsync(db.Connections);
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, "claim:1:received", clock.GetUtcNow()));
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, "claim:2:received", clock.GetUtcNow()) with { CustomerId = null });
        await EnqueueAsync(db, Message(customer.Id, NotificationChannels.InApp, "claim:3:received", clock.GetUtcNow()));

        var delivered = await host.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);

        Assert.Equal(2, delivered);
        Assert.Equal(["Subject claim:3:received", "Subject claim:1:received"],
            (await host.GetRequiredService<InboxRepository>().ListAsync(customer.Id, 10, CancellationToken.None)).Select(m => m.Subject).Order(StringComparer.Ordinal).Reverse());
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        var waiting = Assert.Single(await Dapper.SqlMapper.QueryAsync<OutboxMessage>(connection,
            "SELECT id, channel, recipient, customer_id, subject, body, dedupe_key, created_at, attempts, next_attempt_at, delivered_at, last_error FROM outbox_messages WHERE delivered_at IS NULL"));
        Assert.Equal("claim:2:received", waiting.DedupeKey);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("has no customer", waiting.LastError, StringComparison.Ordinal);
    }
}
