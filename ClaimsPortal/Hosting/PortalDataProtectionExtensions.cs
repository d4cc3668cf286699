using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;

namespace ClaimsOffice.Portal.Hosting;

/// <summary>
/// ASP.NET Core Data Protection: the key ring that signs the portal's cookies and encrypts the staff's
/// authenticator keys in the database. Every portal of one deployment must use the same key ring
/// (docs/runbook.md, "Data protection keys").
/// </summary>
public static class PortalDataProtectionExtensions
{
    public const string KeysFolderKey = "DataProtection:KeysFolder";
    public const string CertificatePathKey = "DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    /// <summary>Isolates this key ring from other applications that might share the folder; the same in every portal.</summary>
    public const string ApplicationName = "ClaimsOffice";

    /// <summary>The embedded default: a folder beside the SQLite file, so each embedded database has its own keys.</summary>
    public const string EmbeddedFolderName = "data-protection-keys";

    public static IServiceCollection AddPortalDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        var folder = configuration[KeysFolderKey];
        if (!string.IsNullOrWhiteSpace(folder))
        {
            protection.PersistKeysToFileSystem(Directory.CreateDirectory(folder));
        }
        var certificate = configuration[CertificatePathKey];
        if (!string.IsNullOrWhiteSpace(certificate))
        {
            // Keys at rest are encrypted with the certificate, so a copy of the folder alone decrypts nothing.
            protection.ProtectKeysWithCertificate(
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(certificate, configuration[CertificatePasswordKey]));
        }
        return services;
    }

    /// <summary>The keys folder beside an embedded SQLite database file.</summary>
    public static string EmbeddedKeysFolder(string sqliteConnectionString)
    {
        var file = new SqliteConnectionStringBuilder(sqliteConnectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        return Path.Combine(string.IsNullOrEmpty(folder) ? "." : folder, EmbeddedFolderName);
    }
}
