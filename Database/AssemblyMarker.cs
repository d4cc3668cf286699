namespace ClaimsOffice.Database;

/// <summary>Anchor for the embedded migrations and assembly scanning.</summary>
public static class AssemblyMarker;
