import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=…: go to the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return { demo: getEnv().DEMO_MODE };
}

export default function Landing() {
  const { demo } = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "64px auto", padding: 16, lineHeight: 1.5 }}>
      <h1>Shopdesk</h1>
      <p>
        AI customer service for Shopify stores: a storefront chat assistant that answers from your store's knowledge,
        looks up orders and starts returns within your policy, and a shared inbox for your team.
      </p>
      {demo ? (
        <ul>
          <li>
            <a href="/demo/admin">Open the demo admin</a>
          </li>
          <li>
            <a href="/demo/storefront">Open the demo storefront</a>
          </li>
        </ul>
      ) : (
        <Form method="post" action="/auth/login">
          <label>
            Shop domain <input type="text" name="shop" placeholder="example.myshopify.com" />
          </label>{" "}
          <button type="submit">Log in</button>
        </Form>
      )}
    </main>
  );
}
