using ClaimsOffice.Database.Assessments;
using ClaimsOffice.Database.Customers;
using ClaimsOffice.Database.Transactions;
using ClaimsOffice.Worker.Assessment;

namespace ClaimsOffice.Worker.Tests.Assessment;

public sealed class RuleSetTests
{
    private static readonly DateTimeOffset Attack = Contexts.Now.AddHours(-3);

    /// <summary>7pay-style: an attacker device used on many accounts, new to this one, after ordinary history from the customer's phone.</summary>
    private static AssessmentContext StuffingLike(long amount = 9_800) =>
        Contexts.For([Contexts.Tx(Attack.AddMinutes(3), amount, "attacker", "203.0.113.9"), Contexts.Tx(Attack.AddMinutes(4), amount, "attacker", "203.0.113.9")]) with
        {
            History = Contexts.OwnHistory(Attack, 12),
            Devices = [Contexts.Device("dev-own", Attack.AddDays(-400))],
            Events = [Contexts.Event(AccountEventKinds.SignIn, Attack, "attacker", "203.0.113.9")],
            AccountsPerDevice = new Dictionary<string, long> { ["attacker"] = 7 },
            AccountsPerIp = new Dictionary<string, long> { ["203.0.113.9"] = 7 },
        };

    [Fact]
    public void A_credential_stuffing_claim_is_approved_automatically_with_the_rules_that_cleared_it()
    {
        var decision = RuleSet.Default.Decide(StuffingLike());

        Assert.Equal(AssessmentOutcome.AutoApprove, decision.Outcome);
        Assert.True(decision.AutoApprove);
        Assert.True(decision.Score >= RuleSet.Default.AutoApproveScore, $"score {decision.Score}");
        Assert.Equal(decision.Findings.Sum(f => f.Points), decision.Score);
        var rules = decision.Findings.Select(f => f.Rule).ToList();
        Assert.Contains("new-device", rules);
        Assert.Contains("shared-device-or-ip", rules);
        Assert.DoesNotContain("trusted-device", rules);
        Assert.DoesNotContain(decision.Findings, f => f.BlocksAutoPayout);
    }

    [Fact]
    public void A_bank_top_up_claimed_alone_goes_to_a_person_even_from_a_takeover()
    {
        // The docomo pattern, but the victim disputes only the pull from the bank: it may still be in the wallet.
        var context = StuffingLike() with
        {
            Disputed = [Contexts.Tx(Attack.AddMinutes(3), 50_000, "attacker", "203.0.113.9", kind: TransactionKinds.BankTopUp)],
        };

        var decision = RuleSet.Default.Decide(context);

        Assert.Equal(AssessmentOutcome.Review, decision.Outcome);
        Assert.True(decision.Score >= RuleSet.Default.AutoApproveScore, $"score {decision.Score}");
        Assert.Contains(decision.Findings, f => f.Rule == "top-ups-only" && f.BlocksAutoPayout);
    }

    [Fact]
    public void The_customers_trusted_device_sends_the_claim_to_a_person_even_with_a_high_score()
    {
        // Everything else screams fraud (shared device, bank linked, failed sign-ins), but the payment came from the own phone.
        var context = Contexts.For([Contexts.Tx(Attack, 9_800, "dev-own", "192.0.2.10")]) with
        {
            History = Contexts.OwnHistory(Attack, 12),
            Devices = [Contexts.Device("dev-own", Attack.AddDays(-400))],
            Events =
            [
                Contexts.Event(AccountEventKinds.DeviceAdded, Attack.AddMinutes(-30), "thief", "203.0.113.9"),
                Contexts.Event(AccountEventKinds.BankAccountLinked, Attack.AddMinutes(-20), "thief", "203.0.113.9"),
                Contexts.Event(AccountEventKinds.PasswordReset, Attack.AddMinutes(-40), "thief", "203.0.113.9"),
            ],
            AccountsPerDevice = new Dictionary<string, long> { ["dev-own"] = 300 },
            AccountsPerIp = new Dictionary<string, long> { ["192.0.2.10"] = 300 },
        };

        var decision = RuleSet.Default.Decide(context);

        Assert.Equal(AssessmentOutcome.Review, decision.Outcome);
        Assert.Contains(decision.Findings, f => f.Rule == "trusted-device" && f.BlocksAutoPayout);
        // Without the trusted device's -50 the score would clear easily: it is the block, not the score, that stops it.
        Assert.True(decision.Score - decision.Findings.Single(f => f.Rule == "trusted-device").Points >= RuleSet.Default.AutoApproveScore + 50,
            $"score {decision.Score}");
    }

    [Fact]
    public void A_clear_claim_above_the_automatic_payout_limit_goes_to_a_person()
    {
        var context = StuffingLike(amount: 60_000) with { AutoPayoutLimit = 100_000 };

        var decision = RuleSet.Default.Decide(context);

        Assert.Equal(AssessmentOutcome.Review, decision.Outcome);
        Assert.True(decision.Score >= RuleSet.Default.AutoApproveScore);
        Assert.Contains(decision.Findings, f => f.Rule == "auto-payout-limit" && f.BlocksAutoPayout);
    }

    [Fact]
    public void A_claim_without_signals_goes_to_a_person()
    {
        var decision = RuleSet.Default.Decide(Contexts.For([Contexts.Tx(Attack, device: null, ip: null)]));

        Assert.Equal(AssessmentOutcome.Review, decision.Outcome);
        Assert.True(decision.Score < RuleSet.Default.AutoApproveScore);
    }

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_machine_never_decides_anything_but_approve_or_review(int seed)
    {
        var random = new Random(seed);
        string Pick(params string[] values) => values[random.Next(values.Length)];
        var kinds = new[] { AccountEventKinds.SignIn, AccountEventKinds.SignInFailed, AccountEventKinds.PasswordReset, AccountEventKinds.DeviceAdded, AccountEventKinds.BankAccountLinked, AccountEventKinds.ContactChanged };
        var disputed = Enumerable.Range(0, random.Next(1, 4))
            .Select(_ => Contexts.Tx(Contexts.Now.AddHours(-random.Next(1, 24 * 90)), random.Next(1, 200_000), Pick("dev-own", "attacker", "thief"), Pick("192.0.2.10", "203.0.113.9")))
            .ToList();
        var context = Contexts.For(disputed, autoPayoutLimit: random.Next(0, 2) == 0 ? 100_000 : 1_000_000) with
        {
            History = random.Next(0, 2) == 0 ? Contexts.OwnHistory(Contexts.Now.AddDays(-random.Next(0, 60)), random.Next(0, 15)) : [],
            Devices = random.Next(0, 2) == 0 ? [Contexts.Device("dev-own", Contexts.Now.AddDays(-random.Next(0, 500)))] : [],
            Events = [.. Enumerable.Range(0, random.Next(0, 8)).Select(_ => Contexts.Event(Pick(kinds), Contexts.Now.AddHours(-random.Next(1, 24 * 90)), Pick("dev-own", "attacker", "thief"), Pick("192.0.2.10", "203.0.113.9")))],
            AccountsPerDevice = new Dictionary<string, long> { ["attacker"] = random.Next(0, 20), ["thief"] = random.Next(0, 3), ["dev-own"] = 1 },
            AccountsPerIp = new Dictionary<string, long> { ["203.0.113.9"] = random.Next(0, 20) },
        };

        var decision = RuleSet.Default.Decide(context);

        Assert.Contains(decision.Outcome, new[] { AssessmentOutcome.AutoApprove, AssessmentOutcome.Review });
        Assert.Equal(decision.Findings.Sum(f => f.Points), decision.Score);
        Assert.Equal(decision.Score >= RuleSet.Default.AutoApproveScore && !decision.Findings.Any(f => f.BlocksAutoPayout), decision.AutoApprove);
    }
}
