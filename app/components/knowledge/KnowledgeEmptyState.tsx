import { Card, EmptyState } from "@shopify/polaris";

const ILLUSTRATION = `data:image/svg+xml;utf8,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160" fill="none">
    <rect x="38" y="24" width="150" height="112" rx="12" fill="#F1F1F1"/>
    <rect x="56" y="44" width="72" height="10" rx="5" fill="#C9CCCF"/>
    <rect x="56" y="66" width="114" height="6" rx="3" fill="#E1E3E5"/>
    <rect x="56" y="80" width="104" height="6" rx="3" fill="#E1E3E5"/>
    <rect x="56" y="94" width="110" height="6" rx="3" fill="#E1E3E5"/>
    <rect x="56" y="108" width="64" height="6" rx="3" fill="#E1E3E5"/>
    <circle cx="176" cy="40" r="20" fill="#29845A"/>
    <path d="M168 40l6 6 10-12" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
  </svg>`,
)}`;

/** A shop without any knowledge yet: how to add the first articles. */
export function KnowledgeEmptyState({ newArticleUrl, importUrl }: { newArticleUrl: string; importUrl: string }) {
  return (
    <Card>
      <EmptyState
        heading="Teach the assistant about your store"
        action={{ content: "Add article", url: newArticleUrl }}
        secondaryAction={{ content: "Import articles", url: importUrl }}
        image={ILLUSTRATION}
      >
        <p>Write help articles in Markdown or import them from CSV, JSON or Markdown files.</p>
      </EmptyState>
    </Card>
  );
}
