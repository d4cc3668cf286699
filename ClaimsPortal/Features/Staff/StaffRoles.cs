namespace ClaimsOffice.Portal.Features.Staff;

/// <summary>The staff roles. A person may hold several; the four-eyes rules still hold per claim.</summary>
public static class StaffRoles
{
    public const string Agent = "Agent";
    public const string Finance = "Finance";
    public const string Admin = "Admin";
}

/// <summary>
/// Authorization policies for staff pages and actions. Finance and Admin require a session that passed
/// two-factor; every policy requires the staff authentication scheme, so a victim's session reaches none.
/// </summary>
public static class StaffPolicies
{
    public const string Agent = "staff.agent";
    public const string Finance = "staff.finance";
    public const string Admin = "staff.admin";
    /// <summary>Any signed-in staff member (the dashboard).</summary>
    public const string AnyStaff = "staff.any";

    /// <summary>The staff cookie's authentication scheme, separate from the victims'.</summary>
    public const string Scheme = "Staff";
}
