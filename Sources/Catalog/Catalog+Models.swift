// Models and their predictions. A model is unique by name (training again replaces its row); a
// prediction is unique by (model, video path) (predicting again replaces it).
import Foundation
import GRDB

extension Catalog {
    /// Records `model`, replacing any model of the same name.
    public func upsertModel(_ model: ModelRecord) throws(CatalogError) {
        try write { db in try model.insert(db, onConflict: .replace) }
    }

    public func model(name: String) throws(CatalogError) -> ModelRecord? {
        try read { db in try ModelRecord.fetchOne(db, key: name) }
    }

    /// Every model, by name.
    public func models() throws(CatalogError) -> [ModelRecord] {
        try read { db in try ModelRecord.order(Column("name")).fetchAll(db) }
    }

    /// Records `predictions` in one transaction; each replaces the prediction of its
    /// (model, video path).
    public func recordPredictions(_ predictions: [PredictionRecord]) throws(CatalogError) {
        try write { db in
            for prediction in predictions {
                try prediction.insert(db, onConflict: .replace)
            }
        }
    }

    /// The predictions of model `name`, by video path.
    public func predictions(model name: String) throws(CatalogError) -> [PredictionRecord] {
        try read { db in
            try PredictionRecord.filter(Column("modelName") == name).order(Column("videoPath")).fetchAll(db)
        }
    }
}
