using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ClaimsOffice.Portal.Tests.Support;

/// <summary>Submits a page's form the way a browser would: every field it renders (antiforgery token, handler name) plus ours.</summary>
public static partial class HtmlForms
{
    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        return new HtmlParser().ParseDocument(html);
    }

    public static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> SubmitAsync(
        this HttpClient client, string pageUrl, IHtmlDocument page, string formSelector, IEnumerable<KeyValuePair<string, string>> values)
    {
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"No form '{formSelector}' on the page.");
        var fields = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Concat(values)
            .ToList();
        // Static SSR forms post back to the page they are on.
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        using var content = new FormUrlEncodedContent(fields);
        var response = await client.PostAsync(new Uri(action, UriKind.Relative), content);
        var html = await response.Content.ReadAsStringAsync();
        return (response, new HtmlParser().ParseDocument(html));
    }

    public static string SixDigitCode(string text) =>
        CodePattern().Match(text) is { Success: true } m ? m.Value : throw new InvalidOperationException($"No code in '{text}'.");

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
