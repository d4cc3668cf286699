using MudBlazor;

namespace ClaimsOffice.Portal.Components.Ui;

/// <summary>
/// The one MudBlazor theme of the portal, for victim and staff pages alike, so every screen reads as
/// one service. Colours are chosen for contrast (WCAG AA on white) rather than brand.
/// </summary>
public static class ClaimsOfficeTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e9c",
            Secondary = "#5a6270",
            Tertiary = "#0f766e",
            Info = "#0b6aa2",
            Success = "#1b7d3a",
            Warning = "#a35a00",
            Error = "#b3261e",
            AppbarBackground = "#17325f",
            AppbarText = "#ffffff",
            Background = "#f5f6f8",
            Surface = "#ffffff",
            TextPrimary = "#1b1f24",
            TextSecondary = "#4b5361",
            LinesDefault = "#d9dde3",
            TableLines = "#e3e6eb",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                // System fonts: no web-font download on a phone, and Japanese names render with the OS's own glyphs.
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Hiragino Sans", "Noto Sans JP", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "8px",
        },
    };

    /// <summary>Built once: the theme is immutable configuration, and MudThemeProvider renders it into CSS variables.</summary>
    public static MudTheme Default { get; } = Create();
}
