using System.Text.RegularExpressions;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Notifications;
using ClaimsOffice.TestKit;
using ClaimsOffice.TestKit.Builders;
using ClaimsOffice.TestKit.Databases;
using ClaimsOffice.Worker.SignIn;

namespace ClaimsOffice.Worker.Tests.SignIn;

public sealed partial class VictimSignInServiceTests
{
    private const string StoredPhone = "+81 90 1234 5678";
    private const string DomesticPhone = "090-1234-5678";

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();

    private sealed class Fixture : IAsyncDisposable
    {
        private Fixture(TestDatabase db, FixedClock clock, EngineHost host, Customer customer)
        {
            Db = db;
            Clock = clock;
            Host = host;
            Customer = customer;
        }

        public TestDatabase Db { get; }
        public FixedClock Clock { get; }
        public EngineHost Host { get; }
        public Customer Customer { get; }
        public VictimSignInService SignIn => Host.GetRequiredService<VictimSignInService>();

        public static async Task<Fixture> CreateAsync(DatabaseKind kind)
        {
            var db = await TestDatabase.CreateAsync(kind);
            var clock = new FixedClock();
            var host = EngineHost.Create(db, clock);
            var customer = await new CustomerBuilder().Named("Haruto Sato").WithPhone(StoredPhone).WithEmail("haruto.sato@example.com").InsertAsync(db.Connections);
            return new Fixture(db, clock, host, customer);
        }

        /// <summary>The code in the newest SMS to the customer, read the way the victim reads it.</summary>
        public async Task<string> LatestCodeAsync()
        {
            var messages = await Host.GetRequiredService<OutboxRepository>().ListForCustomerAsync(Customer.Id, CancellationToken.None);
            var sms = messages.Last();
            Assert.Equal(NotificationChannels.Sms, sms.Channel);
            Assert.Equal("+819012345678", sms.Recipient);
            var match = SixDigits().Match(sms.Body);
            Assert.True(match.Success, sms.Body);
            return match.Groups[1].Value;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Db.DisposeAsync();
        }
    }

    private static string Other(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    [DatabaseTheory]
    public async Task A_code_requested_with_the_domestic_phone_number_arrives_by_sms_and_signs_in_once(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);

        var request = await f.SignIn.RequestCodeAsync(DomesticPhone, CancellationToken.None);

        Assert.True(request.Sent, request.Message);
        Assert.Equal(new string((char)0x2022, "+819012345678".Length - 4) + "5678", request.MaskedDestination);
        Assert.Contains("expires in 10 minutes", request.Message, StringComparison.Ordinal);
        Assert.Equal(1, f.Host.Queue.Nudges);
        var code = await f.LatestCodeAsync();
        Assert.Equal(0, await f.Db.CountAsync("sign_in_codes", "code_hash = @code", new { code }));

        var first = await f.SignIn.VerifyAsync(DomesticPhone, code, CancellationToken.None);
        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(f.Customer.Id, first.Customer!.Id);

        var second = await f.SignIn.VerifyAsync(DomesticPhone, code, CancellationToken.None);
        Assert.False(second.Succeeded);
        Assert.Equal("This code has expired or was already used. Ask for a new code.", second.Error);
    }

    [DatabaseTheory]
    public async Task The_email_address_is_matched_in_any_case(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);

        var request = await f.SignIn.RequestCodeAsync("  Haruto.SATO@Example.com ", CancellationToken.None);

        Assert.True(request.Sent, request.Message);
        var result = await f.SignIn.VerifyAsync("HARUTO.sato@example.COM", await f.LatestCodeAsync(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(f.Customer.Id, result.Customer!.Id);
    }

    [DatabaseTheory]
    public async Task Wrong_codes_count_down_and_five_lock_the_code_even_against_the_right_one(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);
        var code = await f.LatestCodeAsync();
        var wrong = Other(code);

        var errors = new List<string?>();
        for (var i = 0; i < VictimSignInService.MaxWrongAttempts; i++)
        {
            var result = await f.SignIn.VerifyAsync(StoredPhone, wrong, CancellationToken.None);
            Assert.False(result.Succeeded);
            errors.Add(result.Error);
        }

        Assert.Equal(
        [
            "That code is not right. 4 tries left.",
            "That code is not right. 3 tries left.",
            "That code is not right. 2 tries left.",
            "That code is not right. 1 try left.",
            "That code is not right, and that was the last try. Ask for a new code.",
        ], errors);
        var locked = await f.SignIn.VerifyAsync(StoredPhone, code, CancellationToken.None);
        Assert.False(locked.Succeeded);
        Assert.Equal("Too many wrong codes. Ask for a new code.", locked.Error);
    }

    [DatabaseTheory]
    public async Task Guesses_sent_all_at_once_get_no_more_tries_than_guesses_sent_one_by_one(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);
        var code = await f.LatestCodeAsync();
        var wrong = Other(code);

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => f.SignIn.VerifyAsync(StoredPhone, wrong, CancellationToken.None))));

        Assert.All(results, r => Assert.False(r.Succeeded));
        Assert.Equal(VictimSignInService.MaxWrongAttempts, results.Count(r => r.Error!.StartsWith("That code is not right", StringComparison.Ordinal)));
        var locked = await f.SignIn.VerifyAsync(StoredPhone, code, CancellationToken.None);
        Assert.False(locked.Succeeded);
        Assert.Equal("Too many wrong codes. Ask for a new code.", locked.Error);
    }

    [DatabaseTheory]
    public async Task A_code_has_expired_after_ten_minutes(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);
        var code = await f.LatestCodeAsync();

        f.Clock.Advance(TimeSpan.FromMinutes(11));
        var result = await f.SignIn.VerifyAsync(StoredPhone, code, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("This code has expired or was already used. Ask for a new code.", result.Error);
    }

    [DatabaseTheory]
    public async Task A_code_still_works_at_nine_minutes(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);
        var code = await f.LatestCodeAsync();

        f.Clock.Advance(TimeSpan.FromMinutes(9));
        var result = await f.SignIn.VerifyAsync(StoredPhone, code, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
    }

    [DatabaseTheory]
    public async Task A_fourth_code_within_fifteen_minutes_is_refused_with_a_wait_message(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        for (var i = 0; i < VictimSignInService.MaxCodesPerWindow; i++)
        {
            Assert.True((await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None)).Sent);
            f.Clock.Advance(TimeSpan.FromMinutes(4));
        }
        var before = await f.Db.CountClaimTablesAsync();

        var fourth = await f.SignIn.RequestCodeAsync(DomesticPhone, CancellationToken.None);

        Assert.False(fourth.Sent);
        Assert.Equal("Too many codes were requested. Wait 15 minutes, then ask for a new one.", fourth.Message);
        Assert.Equal(before, await f.Db.CountClaimTablesAsync());

        // Once the first code is more than 15 minutes old, a new code may be sent again.
        f.Clock.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        Assert.True((await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None)).Sent);
    }

    [DatabaseTheory]
    public async Task Only_the_newest_code_signs_in(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);
        var old = await f.LatestCodeAsync();
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);
        var latest = await f.LatestCodeAsync();

        if (old != latest)
        {
            Assert.False((await f.SignIn.VerifyAsync(StoredPhone, old, CancellationToken.None)).Succeeded);
        }
        Assert.True((await f.SignIn.VerifyAsync(StoredPhone, latest, CancellationToken.None)).Succeeded);
    }

    [DatabaseTheory]
    public async Task Unknown_empty_or_oversized_contacts_get_clear_messages_and_write_nothing(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        var cases = new (string? Contact, string Message)[]
        {
            ("080-9999-0000", "We could not find a wallet with that phone number or e-mail address. Use the one registered with your wallet."),
            ("nobody@example.com", "We could not find a wallet with that phone number or e-mail address. Use the one registered with your wallet."),
            ("", "Enter the phone number or e-mail address registered with your wallet."),
            ("   ", "Enter the phone number or e-mail address registered with your wallet."),
            (null, "Enter the phone number or e-mail address registered with your wallet."),
            (new string('9', VictimSignInService.MaxContactLength + 1), "That is too long for a phone number or e-mail address."),
            ("12345", "Enter a phone number (like 090-1234-5678) or an e-mail address."),
        };
        var before = await f.Db.CountClaimTablesAsync();

        foreach (var (contact, message) in cases)
        {
            var request = await f.SignIn.RequestCodeAsync(contact, CancellationToken.None);
            Assert.False(request.Sent, contact);
            Assert.Equal(message, request.Message);
            var verify = await f.SignIn.VerifyAsync(contact, "123456", CancellationToken.None);
            Assert.False(verify.Succeeded);
        }

        Assert.Equal(before, await f.Db.CountClaimTablesAsync());
        Assert.Equal(0, f.Host.Queue.Nudges);
    }

    [DatabaseTheory]
    public async Task A_code_that_is_not_six_digits_is_refused_without_using_up_a_try(DatabaseKind kind)
    {
        await using var f = await Fixture.CreateAsync(kind);
        await f.SignIn.RequestCodeAsync(StoredPhone, CancellationToken.None);

        foreach (var bad in new[] { "", "12345", "1234567", "12a456" })
        {
            var result = await f.SignIn.VerifyAsync(StoredPhone, bad, CancellationToken.None);
            Assert.Equal("Enter the 6-digit code from the SMS.", result.Error);
        }

        Assert.Equal(0, await f.Db.ScalarAsync<long>("SELECT failed_attempts FROM sign_in_codes"));
        Assert.True((await f.SignIn.VerifyAsync(StoredPhone, await f.LatestCodeAsync(), CancellationToken.None)).Succeeded);
    }
}
