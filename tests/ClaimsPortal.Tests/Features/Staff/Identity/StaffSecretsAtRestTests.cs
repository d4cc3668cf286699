using System.Security.Cryptography;
using System.Text;
using ClaimsOffice.Database.Staff;
using ClaimsOffice.Portal.Features.Staff;
using ClaimsOffice.Portal.Hosting;
using ClaimsOffice.Portal.Tests.Features.Victim;
using ClaimsOffice.Portal.Tests.Support;
using ClaimsOffice.TestKit.Databases;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ClaimsOffice.Portal.Tests.Features.Staff.Identity;

/// <summary>
/// What a copy of the database gives away: authenticator keys are encrypted with the portal's Data Protection
/// key ring, recovery codes are salted slow hashes. Sign-in still works with both, and rows written before
/// (plain keys, unsalted hashes) keep working.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StaffSecretsAtRestTests
{
    private const string Provider = "[ClaimsOffice]";

    [DatabaseTheory]
    public async Task The_authenticator_key_is_stored_encrypted_and_still_signs_in(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);

        var stored = await RawTokenAsync(portal, admin.User.Id, "AuthenticatorKey");
        Assert.NotNull(stored);
        Assert.DoesNotContain(admin.AuthenticatorKey!, stored, StringComparison.OrdinalIgnoreCase);

        using var client = portal.CreateClient();
        var (landed, _) = await portal.SignInStaffAsync(client, admin);
        Assert.Equal("/staff", landed.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [DatabaseTheory]
    public async Task A_portal_with_another_key_ring_cannot_read_the_authenticator_key(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using (var portal = new PortalFactory(db))
        {
            await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        }
        var otherKeys = Directory.CreateTempSubdirectory("claims-other-keys-");
        try
        {
            await using var factory = new PortalFactory(db);
            await using var stranger = factory.WithWebHostBuilder(b => b.UseSetting(PortalDataProtectionExtensions.KeysFolderKey, otherKeys.FullName));
            await using var scope = stranger.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync("admin@test.example"))!;
            await Assert.ThrowsAnyAsync<CryptographicException>(() => users.GetAuthenticatorKeyAsync(user));
        }
        finally
        {
            otherKeys.Delete(recursive: true);
        }
    }

    [DatabaseTheory]
    public async Task Embedded_mode_keeps_its_key_ring_in_a_folder_beside_the_database_file(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);

        if (kind == DatabaseKind.Sqlite)
        {
            var folder = Path.Combine(Path.GetDirectoryName(new SqliteConnectionStringBuilder(db.ConnectionString).DataSource)!, PortalDataProtectionExtensions.EmbeddedFolderName);
            Assert.NotEmpty(Directory.GetFiles(folder, "key-*.xml"));
        }
        else
        {
            // Server mode has no data folder: the operator chooses (and shares) the key ring; nothing is assumed.
            Assert.Null(portal.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[PortalDataProtectionExtensions.KeysFolderKey]);
        }
    }

    [DatabaseTheory]
    public async Task A_plain_authenticator_key_written_before_is_encrypted_when_first_read(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        var repository = portal.Services.GetRequiredService<StaffUserRepository>();
        await repository.SetTokenAsync(admin.User.Id, Provider, "AuthenticatorKey", admin.AuthenticatorKey, null, CancellationToken.None);

        using var client = portal.CreateClient();
        var (landed, _) = await portal.SignInStaffAsync(client, admin);

        Assert.Equal("/staff", landed.RequestMessage!.RequestUri!.AbsolutePath);
        var stored = await RawTokenAsync(portal, admin.User.Id, "AuthenticatorKey");
        Assert.DoesNotContain(admin.AuthenticatorKey!, stored!, StringComparison.OrdinalIgnoreCase);
    }

    [DatabaseTheory]
    public async Task Recovery_codes_are_stored_as_salted_hashes_and_redeem_once_however_they_are_typed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByEmailAsync(admin.Email))!;
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 3))!.ToList();

        var stored = (await RawTokenAsync(portal, admin.User.Id, "RecoveryCodes"))!;
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, stored, StringComparison.OrdinalIgnoreCase);
            // The earlier scheme (unsalted SHA-256) let one table of hashes crack every account's codes at once.
            Assert.DoesNotContain(UnsaltedHash(code), stored, StringComparison.Ordinal);
        }
        Assert.Equal(3, await users.CountRecoveryCodesAsync(user));

        var typed = codes[0].Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant();
        Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(user, typed)).Succeeded);
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[0])).Succeeded);
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(user, "AAAAA-BBBBB")).Succeeded);
        Assert.Equal(2, await users.CountRecoveryCodesAsync(user));
        Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[2])).Succeeded);
        Assert.Equal(1, await users.CountRecoveryCodesAsync(user));
    }

    [DatabaseTheory]
    public async Task Recovery_codes_hashed_the_earlier_way_still_redeem_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var portal = new PortalFactory(db);
        var admin = await portal.CreateStaffAsync("admin@test.example", StaffRoles.Admin);
        var repository = portal.Services.GetRequiredService<StaffUserRepository>();
        await repository.SetTokenAsync(admin.User.Id, Provider, "RecoveryCodes",
            UnsaltedHash("K7M2P-Q9RTV") + ";" + UnsaltedHash("B3C4D-F5G6H"), null, CancellationToken.None);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByEmailAsync(admin.Email))!;

        Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(user, "K7M2P-Q9RTV")).Succeeded);
        Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(user, "K7M2P-Q9RTV")).Succeeded);
        Assert.Equal(1, await users.CountRecoveryCodesAsync(user));
    }

    private static Task<string?> RawTokenAsync(WebApplicationFactory<Program> portal, long userId, string name) =>
        portal.Services.GetRequiredService<StaffUserRepository>().GetTokenAsync(userId, Provider, name, CancellationToken.None);

    private static string UnsaltedHash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant())));
}
