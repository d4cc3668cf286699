using System.Collections.Concurrent;
using ClaimsOffice.Database.Assessments;

namespace ClaimsOffice.Worker.Assessment;

/// <summary>
/// What everybody pays in each merchant category: the sorted amounts of all categorised payments in the
/// <see cref="Window"/> before the day a claim is filed. Read once per day and process, shared by every claim
/// of that day, so a claim costs no extra query. Only days before the claim's day count: the baseline never
/// sees the future, in a backtest either.
/// </summary>
public sealed class CategoryBaseline(AssessmentSignalsRepository signals)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(28);

    /// <summary>A backtest walks day by day; a few recent days are enough to keep.</summary>
    private const int DaysKept = 4;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<long>> Empty = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<DateTimeOffset, Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<long>>>>> _days = new();

    /// <summary>Amounts per category and currency (<see cref="Key"/>; ascending, minor units) for claims filed on <paramref name="at"/>'s day (UTC).</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<long>>> ForDayOfAsync(DateTimeOffset at, CancellationToken ct)
    {
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        var entry = _days.GetOrAdd(day, d => new Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<long>>>>(() => LoadAsync(d, ct)));
        if (_days.Count > DaysKept)
        {
            foreach (var old in _days.Keys.Order().Take(_days.Count - DaysKept))
            {
                _days.TryRemove(old, out _);
            }
        }
        return Loaded(day, entry);
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<long>>> Loaded(DateTimeOffset day, Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<long>>>> entry)
    {
        try
        {
            return await entry.Value;
        }
        catch
        {
            // A failed read (a cancelled claim, a lost connection) is not kept: the next claim asks again.
            _days.TryRemove(new KeyValuePair<DateTimeOffset, Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<long>>>>>(day, entry));
            throw;
        }
    }

    /// <summary>Amounts are only comparable in one currency: the baseline is per category and currency.</summary>
    public static string Key(string category, string currency) => category + " " + currency;

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<long>>> LoadAsync(DateTimeOffset day, CancellationToken ct)
    {
        var rows = await signals.ListCategoryAmountsAsync(day - Window, day, ct);
        if (rows.Count == 0)
        {
            return Empty;
        }
        return rows.GroupBy(r => Key(r.Category, r.Currency), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<long>)[.. g.Select(r => r.Amount).Order()], StringComparer.Ordinal);
    }
}
