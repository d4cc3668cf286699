using ClaimsOffice.Database.Staff;
using ClaimsOffice.TestKit.Databases;

namespace ClaimsOffice.Database.Tests.Staff;

public sealed class StaffUserRepositoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    private static StaffUser NewUser(string email) => new()
    {
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        DisplayName = "Aiko Sasaki",
        PasswordHash = "hash",
        SecurityStamp = "stamp-1",
        ConcurrencyStamp = "c-1",
        ApprovalLimit = 300_000,
        CreatedAt = Now,
    };

    [DatabaseTheory]
    public async Task A_user_reads_back_as_written_by_id_name_and_email(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);

        var byId = await repository.FindByIdAsync(id, CancellationToken.None);
        var byName = await repository.FindByNormalizedUserNameAsync("AIKO@CLAIMS.EXAMPLE", CancellationToken.None);
        var byEmail = await repository.FindByNormalizedEmailAsync("AIKO@CLAIMS.EXAMPLE", CancellationToken.None);

        Assert.NotNull(byId);
        Assert.Equal(id, byName!.Id);
        Assert.Equal(id, byEmail!.Id);
        Assert.Equal("Aiko Sasaki", byId.DisplayName);
        Assert.Equal(300_000, byId.ApprovalLimit);
        Assert.True(byId.LockoutEnabled);
        Assert.False(byId.TwoFactorEnabled);
        Assert.Null(byId.DisabledAt);
        Assert.Equal(Now, byId.CreatedAt);
        Assert.Null(await repository.FindByNormalizedEmailAsync("NOBODY@CLAIMS.EXAMPLE", CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task An_update_from_a_stale_copy_is_refused(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);
        var first = (await repository.FindByIdAsync(id, CancellationToken.None))!;
        var second = (await repository.FindByIdAsync(id, CancellationToken.None))!;

        first.LockoutEnd = Now.AddMinutes(15);
        Assert.True(await repository.UpdateAsync(first, "c-2", CancellationToken.None));
        second.DisplayName = "Someone else";
        Assert.False(await repository.UpdateAsync(second, "c-3", CancellationToken.None));

        var stored = (await repository.FindByIdAsync(id, CancellationToken.None))!;
        Assert.Equal("Aiko Sasaki", stored.DisplayName);
        Assert.Equal(Now.AddMinutes(15), stored.LockoutEnd);
        Assert.Equal("c-2", stored.ConcurrencyStamp);
    }

    [DatabaseTheory]
    public async Task Failed_sign_ins_counted_in_parallel_are_all_counted(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);

        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => repository.IncrementAccessFailedCountAsync(id, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(1, 8), counts.Order());
        // A save of the user object (Identity does one after each failure) leaves the counter alone.
        var copy = (await repository.FindByIdAsync(id, CancellationToken.None))!;
        copy.AccessFailedCount = 0;
        await repository.UpdateAsync(copy, "c-2", CancellationToken.None);
        Assert.Equal(8, (await repository.FindByIdAsync(id, CancellationToken.None))!.AccessFailedCount);
        await repository.ResetAccessFailedCountAsync(id, CancellationToken.None);
        Assert.Equal(0, (await repository.FindByIdAsync(id, CancellationToken.None))!.AccessFailedCount);
    }

    [DatabaseTheory]
    public async Task Roles_are_added_once_removed_and_listed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var aiko = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);
        var mika = await repository.InsertAsync(NewUser("mika@claims.example"), null, CancellationToken.None);

        Assert.True(await repository.AddToRoleAsync(aiko, "AGENT", null, CancellationToken.None));
        Assert.True(await repository.AddToRoleAsync(aiko, "AGENT", null, CancellationToken.None));
        Assert.True(await repository.AddToRoleAsync(aiko, "FINANCE", null, CancellationToken.None));
        Assert.True(await repository.AddToRoleAsync(mika, "FINANCE", null, CancellationToken.None));
        Assert.False(await repository.AddToRoleAsync(mika, "SUPERUSER", null, CancellationToken.None));

        Assert.Equal(["Agent", "Finance"], await repository.GetRolesAsync(aiko, CancellationToken.None));
        await repository.RemoveFromRoleAsync(aiko, "FINANCE", null, CancellationToken.None);
        Assert.Equal(["Agent"], await repository.GetRolesAsync(aiko, CancellationToken.None));
        Assert.Equal([mika], (await repository.ListInRoleAsync("FINANCE", CancellationToken.None)).Select(u => u.Id));

        var list = await repository.ListAsync(CancellationToken.None);
        Assert.Equal(["Agent"], list.Single(e => e.User.Id == aiko).Roles);
        Assert.Equal(["Finance"], list.Single(e => e.User.Id == mika).Roles);
    }

    [DatabaseTheory]
    public async Task Tokens_are_upserted_and_a_guarded_replace_wins_once(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);

        await repository.SetTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", "KEY1", null, CancellationToken.None);
        await repository.SetTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", "KEY2", null, CancellationToken.None);
        Assert.Equal("KEY2", await repository.GetTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", CancellationToken.None));

        await repository.SetTokenAsync(id, "[ClaimsOffice]", "RecoveryCodes", "a;b;c", null, CancellationToken.None);
        Assert.True(await repository.ReplaceTokenAsync(id, "[ClaimsOffice]", "RecoveryCodes", "a;b;c", "b;c", CancellationToken.None));
        Assert.False(await repository.ReplaceTokenAsync(id, "[ClaimsOffice]", "RecoveryCodes", "a;b;c", "b;c", CancellationToken.None));
        Assert.Equal("b;c", await repository.GetTokenAsync(id, "[ClaimsOffice]", "RecoveryCodes", CancellationToken.None));

        await repository.RemoveTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", CancellationToken.None);
        Assert.Null(await repository.GetTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task Admin_changes_renew_the_security_stamp_where_sessions_must_end(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);
        await repository.SetTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", "KEY1", null, CancellationToken.None);

        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        await using (var tx = await connection.BeginTransactionAsync())
        {
            Assert.True(await repository.SetDisabledAsync(id, Now, tx, CancellationToken.None));
            Assert.False(await repository.SetDisabledAsync(id, Now, tx, CancellationToken.None));
            Assert.True(await repository.SetApprovalLimitAsync(id, 0, tx, CancellationToken.None));
            await repository.ResetTwoFactorAsync(id, tx, CancellationToken.None);
            await tx.CommitAsync();
        }

        var stored = (await repository.FindByIdAsync(id, CancellationToken.None))!;
        Assert.Equal(Now, stored.DisabledAt);
        Assert.NotEqual("stamp-1", stored.SecurityStamp);
        Assert.Equal(0, stored.ApprovalLimit);
        Assert.False(stored.TwoFactorEnabled);
        Assert.Null(await repository.GetTokenAsync(id, "[ClaimsOffice]", "AuthenticatorKey", CancellationToken.None));
    }

    [DatabaseTheory]
    public async Task A_negative_approval_limit_never_reaches_the_table(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await using var tx = await connection.BeginTransactionAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => repository.SetApprovalLimitAsync(id, -1, tx, CancellationToken.None));
        // And the schema refuses it too, whoever writes.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE staff_users SET approval_limit = -1 WHERE id = @id", new { id }, tx));
    }
    [DatabaseTheory]
    public async Task An_authenticator_time_step_is_used_once_and_never_an_earlier_one_after_it(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var repository = new StaffUserRepository(db.Connections);
        var id = await repository.InsertAsync(NewUser("aiko@claims.example"), null, CancellationToken.None);
        var other = await repository.InsertAsync(NewUser("kenji@claims.example"), null, CancellationToken.None);
        const long step = 59_000_000;

        Assert.True(await repository.TryUseAuthenticatorStepAsync(id, step, CancellationToken.None));
        Assert.False(await repository.TryUseAuthenticatorStepAsync(id, step, CancellationToken.None));
        Assert.False(await repository.TryUseAuthenticatorStepAsync(id, step - 1, CancellationToken.None));
        Assert.True(await repository.TryUseAuthenticatorStepAsync(other, step, CancellationToken.None));
        Assert.True(await repository.TryUseAuthenticatorStepAsync(id, step + 1, CancellationToken.None));

        // Two sign-ins racing with the same code: one gets in.
        var race = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => repository.TryUseAuthenticatorStepAsync(id, step + 2, CancellationToken.None)));
        Assert.Single(race, used => used);
    }
}
