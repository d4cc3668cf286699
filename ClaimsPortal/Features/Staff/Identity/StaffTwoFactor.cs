using System.Globalization;
using System.Text;
using ClaimsOffice.Database.Staff;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace ClaimsOffice.Portal.Features.Staff.Identity;

/// <summary>Two-factor helpers for the staff pages: who must enrol, the authenticator's key and QR code.</summary>
public static class StaffTwoFactor
{
    public const string Issuer = "ClaimsOffice";
    public const int RecoveryCodeCount = 10;

    /// <summary>Finance and Admin need two-factor before their pages open; true when this person has not set it up.</summary>
    public static async Task<bool> RequiredButMissingAsync(UserManager<StaffUser> users, StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(user);
        if (user.TwoFactorEnabled)
        {
            return false;
        }
        var roles = await users.GetRolesAsync(user);
        return roles.Contains(StaffRoles.Finance, StringComparer.OrdinalIgnoreCase) || roles.Contains(StaffRoles.Admin, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The otpauth:// address authenticator apps read from the QR code.</summary>
    public static string AuthenticatorUri(string email, string key) =>
        string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6");

    /// <summary>A PNG data URI of the QR code, so the page needs no script and no extra request.</summary>
    public static string QrCodeDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>The key in groups of four, easier to type into an app by hand.</summary>
    public static string FormatKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                text.Append(' ');
            }
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return text.ToString().ToLowerInvariant();
    }

    /// <summary>What people type: spaces and dashes removed.</summary>
    public static string CleanCode(string? code) =>
        (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
}
