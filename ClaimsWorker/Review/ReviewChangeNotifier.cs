namespace ClaimsOffice.Worker.Review;

/// <summary>
/// Tells open staff pages in this process that a claim changed, so a queue shows a claim taken by someone
/// else without a reload. Other processes' changes reach a page through its periodic refresh.
/// </summary>
public interface IReviewChangeNotifier
{
    event Action<long>? Changed;

    void ClaimChanged(long claimId);
}

public sealed class ReviewChangeNotifier : IReviewChangeNotifier
{
    public event Action<long>? Changed;

    public void ClaimChanged(long claimId) => Changed?.Invoke(claimId);
}
