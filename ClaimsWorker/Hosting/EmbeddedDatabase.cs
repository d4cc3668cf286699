namespace ClaimsOffice.Worker.Hosting;

/// <summary>
/// The embedded SQLite database the portal uses when no provider is configured: <c>claims.db</c> in the
/// portal's data folder (<c>Portal:DataFolder</c>, else <c>App_Data</c> under the portal's content root).
/// One definition, so the worker's one-shot commands (import) write where the portal reads.
/// </summary>
public static class EmbeddedDatabase
{
    public const string DataFolderKey = "Portal:DataFolder";
    public const string FileName = "claims.db";
    private const string PortalProject = "ClaimsPortal";

    public static string DataFolder(string? configured, string portalContentRoot) =>
        string.IsNullOrWhiteSpace(configured) ? Path.Combine(portalContentRoot, "App_Data") : configured;

    public static string ConnectionString(string dataFolder) => $"Data Source={Path.Combine(dataFolder, FileName)}";

    /// <summary>
    /// The portal's content root for a command run inside the repository (as <c>dotnet run --project ClaimsPortal</c>
    /// uses it): the nearest <c>ClaimsPortal</c> project folder at or above <paramref name="start"/>, or null.
    /// </summary>
    public static string? FindPortalContentRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, PortalProject);
            if (File.Exists(Path.Combine(candidate, PortalProject + ".csproj")))
            {
                return candidate;
            }
            if (dir.Name == PortalProject && File.Exists(Path.Combine(dir.FullName, PortalProject + ".csproj")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
