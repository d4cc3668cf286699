namespace ClaimsOffice.TestKit;

/// <summary>Anchor type for the shared test kit.</summary>
public static class TestKitMarker;
